-- Counts that the home page and the reports read instead of counting the services again
-- (issue 11: a million libraries). Kept by triggers, so in the transaction of every write,
-- whatever path writes: one row per place, category, year, status and volunteer flag, with its
-- number of services; and on every library its number of published services.
CREATE TABLE service_counts (
    district_code       TEXT NOT NULL,
    municipality_code   TEXT NOT NULL,
    category            TEXT NOT NULL,
    year                INTEGER NOT NULL,
    status              TEXT NOT NULL,
    volunteer_supported INTEGER NOT NULL,
    n                   INTEGER NOT NULL,
    PRIMARY KEY (district_code, municipality_code, category, year, status, volunteer_supported)
);

INSERT INTO service_counts
    SELECT district_code, municipality_code, category, year, status, volunteer_supported, COUNT(*)
    FROM services
    GROUP BY district_code, municipality_code, category, year, status, volunteer_supported;

ALTER TABLE libraries ADD COLUMN published_services INTEGER NOT NULL DEFAULT 0;
UPDATE libraries SET published_services = (
    SELECT COUNT(*) FROM services s
    WHERE s.library_id = libraries.id AND s.status IN ('planned', 'active', 'completed'));
CREATE INDEX libraries_unserved ON libraries (published_services, district_code);

CREATE TRIGGER services_counted AFTER INSERT ON services BEGIN
    INSERT INTO service_counts
        VALUES (NEW.district_code, NEW.municipality_code, NEW.category, NEW.year, NEW.status,
                NEW.volunteer_supported, 1)
        ON CONFLICT (district_code, municipality_code, category, year, status, volunteer_supported)
        DO UPDATE SET n = n + 1;
    UPDATE libraries SET published_services = published_services + 1
        WHERE id = NEW.library_id AND NEW.status IN ('planned', 'active', 'completed');
END;

CREATE TRIGGER services_uncounted AFTER DELETE ON services BEGIN
    UPDATE service_counts SET n = n - 1
        WHERE district_code = OLD.district_code AND municipality_code = OLD.municipality_code
          AND category = OLD.category AND year = OLD.year AND status = OLD.status
          AND volunteer_supported = OLD.volunteer_supported;
    UPDATE libraries SET published_services = published_services - 1
        WHERE id = OLD.library_id AND OLD.status IN ('planned', 'active', 'completed');
END;

CREATE TRIGGER services_recounted
AFTER UPDATE OF district_code, municipality_code, category, year, status, volunteer_supported,
                library_id ON services BEGIN
    UPDATE service_counts SET n = n - 1
        WHERE district_code = OLD.district_code AND municipality_code = OLD.municipality_code
          AND category = OLD.category AND year = OLD.year AND status = OLD.status
          AND volunteer_supported = OLD.volunteer_supported;
    INSERT INTO service_counts
        VALUES (NEW.district_code, NEW.municipality_code, NEW.category, NEW.year, NEW.status,
                NEW.volunteer_supported, 1)
        ON CONFLICT (district_code, municipality_code, category, year, status, volunteer_supported)
        DO UPDATE SET n = n + 1;
    UPDATE libraries SET published_services = published_services - 1
        WHERE id = OLD.library_id AND OLD.status IN ('planned', 'active', 'completed');
    UPDATE libraries SET published_services = published_services + 1
        WHERE id = NEW.library_id AND NEW.status IN ('planned', 'active', 'completed');
END;
