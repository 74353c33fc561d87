-- Counts that the home page and the reports read instead of counting the services again
-- (issue 11: a million libraries). Kept by triggers, so in the transaction of every write,
-- whatever path writes: one row per place, category, year, status and volunteer flag, with its
-- number of services; and on every library its number of published services.
CREATE TABLE service_counts (
    district_code       TEXT COLLATE "C" NOT NULL,
    municipality_code   TEXT COLLATE "C" NOT NULL,
    category            TEXT COLLATE "C" NOT NULL,
    year                BIGINT NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    volunteer_supported BIGINT NOT NULL,
    n                   BIGINT NOT NULL,
    PRIMARY KEY (district_code, municipality_code, category, year, status, volunteer_supported)
);

INSERT INTO service_counts
    SELECT district_code, municipality_code, category, year, status, volunteer_supported, COUNT(*)
    FROM services
    GROUP BY district_code, municipality_code, category, year, status, volunteer_supported;

ALTER TABLE libraries ADD COLUMN published_services BIGINT NOT NULL DEFAULT 0;
UPDATE libraries SET published_services = (
    SELECT COUNT(*) FROM services s
    WHERE s.library_id = libraries.id AND s.status IN ('planned', 'active', 'completed'));
CREATE INDEX libraries_unserved ON libraries (published_services, district_code);

CREATE FUNCTION services_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE service_counts SET n = n - 1
            WHERE district_code = OLD.district_code AND municipality_code = OLD.municipality_code
              AND category = OLD.category AND year = OLD.year AND status = OLD.status
              AND volunteer_supported = OLD.volunteer_supported;
        IF OLD.status IN ('planned', 'active', 'completed') THEN
            UPDATE libraries SET published_services = published_services - 1
                WHERE id = OLD.library_id;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO service_counts
            VALUES (NEW.district_code, NEW.municipality_code, NEW.category, NEW.year, NEW.status,
                    NEW.volunteer_supported, 1)
            ON CONFLICT (district_code, municipality_code, category, year, status,
                         volunteer_supported)
            DO UPDATE SET n = service_counts.n + 1;
        IF NEW.status IN ('planned', 'active', 'completed') THEN
            UPDATE libraries SET published_services = published_services + 1
                WHERE id = NEW.library_id;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER services_counted
    AFTER INSERT OR DELETE OR UPDATE OF district_code, municipality_code, category, year, status,
        volunteer_supported, library_id
    ON services FOR EACH ROW EXECUTE FUNCTION services_count();
