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

-- A library's services by year and status, with what lists count them by: the district table's
-- services of one year (without it a planner took the index by year and read every service of
-- the year for each library) and the library list's facets, from the index alone.
CREATE INDEX services_facets ON services (library_id, year, status, category, volunteer_supported);

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

-- Libraries by place (every report's district list, the matrix's columns, the totals).
CREATE TABLE library_counts (
    district_code     TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    PRIMARY KEY (district_code, municipality_code)
);
INSERT INTO library_counts
    SELECT district_code, municipality_code, COUNT(*) FROM libraries
    GROUP BY district_code, municipality_code;

CREATE TRIGGER libraries_counted AFTER INSERT ON libraries BEGIN
    INSERT INTO library_counts VALUES (NEW.district_code, NEW.municipality_code, 1)
        ON CONFLICT (district_code, municipality_code) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER libraries_uncounted AFTER DELETE ON libraries BEGIN
    UPDATE library_counts SET n = n - 1
        WHERE district_code = OLD.district_code AND municipality_code = OLD.municipality_code;
END;

CREATE TRIGGER libraries_recounted AFTER UPDATE OF district_code, municipality_code ON libraries
BEGIN
    UPDATE library_counts SET n = n - 1
        WHERE district_code = OLD.district_code AND municipality_code = OLD.municipality_code;
    INSERT INTO library_counts VALUES (NEW.district_code, NEW.municipality_code, 1)
        ON CONFLICT (district_code, municipality_code) DO UPDATE SET n = n + 1;
END;

-- The same counts without the municipality: what the national figures add up (a few thousand
-- rows where `service_counts` has a hundred thousand at world size).
CREATE TABLE service_totals (
    district_code       TEXT NOT NULL,
    category            TEXT NOT NULL,
    year                INTEGER NOT NULL,
    status              TEXT NOT NULL,
    volunteer_supported INTEGER NOT NULL,
    n                   INTEGER NOT NULL,
    PRIMARY KEY (district_code, category, year, status, volunteer_supported)
);
INSERT INTO service_totals
    SELECT district_code, category, year, status, volunteer_supported, COUNT(*)
    FROM services
    GROUP BY district_code, category, year, status, volunteer_supported;

CREATE TRIGGER services_totalled AFTER INSERT ON services BEGIN
    INSERT INTO service_totals
        VALUES (NEW.district_code, NEW.category, NEW.year, NEW.status, NEW.volunteer_supported, 1)
        ON CONFLICT (district_code, category, year, status, volunteer_supported)
        DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER services_untotalled AFTER DELETE ON services BEGIN
    UPDATE service_totals SET n = n - 1
        WHERE district_code = OLD.district_code AND category = OLD.category
          AND year = OLD.year AND status = OLD.status
          AND volunteer_supported = OLD.volunteer_supported;
END;

CREATE TRIGGER services_retotalled
AFTER UPDATE OF district_code, category, year, status, volunteer_supported ON services BEGIN
    UPDATE service_totals SET n = n - 1
        WHERE district_code = OLD.district_code AND category = OLD.category
          AND year = OLD.year AND status = OLD.status
          AND volunteer_supported = OLD.volunteer_supported;
    INSERT INTO service_totals
        VALUES (NEW.district_code, NEW.category, NEW.year, NEW.status, NEW.volunteer_supported, 1)
        ON CONFLICT (district_code, category, year, status, volunteer_supported)
        DO UPDATE SET n = n + 1;
END;
