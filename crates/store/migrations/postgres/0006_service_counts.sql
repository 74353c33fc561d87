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

-- A library's services by year and status, with what lists count them by: the district table's
-- services of one year (without it a planner took the index by year and read every service of
-- the year for each library) and the library list's facets, from the index alone.
CREATE INDEX services_facets ON services (library_id, year, status, category, volunteer_supported);

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

-- Libraries by place (every report's district list, the matrix's columns, the totals).
CREATE TABLE library_counts (
    district_code     TEXT COLLATE "C" NOT NULL,
    municipality_code TEXT COLLATE "C" NOT NULL,
    n                 BIGINT NOT NULL,
    PRIMARY KEY (district_code, municipality_code)
);
INSERT INTO library_counts
    SELECT district_code, municipality_code, COUNT(*) FROM libraries
    GROUP BY district_code, municipality_code;

CREATE FUNCTION libraries_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE library_counts SET n = n - 1
            WHERE district_code = OLD.district_code AND municipality_code = OLD.municipality_code;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO library_counts VALUES (NEW.district_code, NEW.municipality_code, 1)
            ON CONFLICT (district_code, municipality_code)
            DO UPDATE SET n = library_counts.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER libraries_counted
    AFTER INSERT OR DELETE OR UPDATE OF district_code, municipality_code
    ON libraries FOR EACH ROW EXECUTE FUNCTION libraries_count();

-- The same counts without the municipality: what the national figures add up (a few thousand
-- rows where `service_counts` has a hundred thousand at world size).
CREATE TABLE service_totals (
    district_code       TEXT COLLATE "C" NOT NULL,
    category            TEXT COLLATE "C" NOT NULL,
    year                BIGINT NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    volunteer_supported BIGINT NOT NULL,
    n                   BIGINT NOT NULL,
    PRIMARY KEY (district_code, category, year, status, volunteer_supported)
);
INSERT INTO service_totals
    SELECT district_code, category, year, status, volunteer_supported, COUNT(*)
    FROM services
    GROUP BY district_code, category, year, status, volunteer_supported;

CREATE FUNCTION services_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE service_totals SET n = n - 1
            WHERE district_code = OLD.district_code AND category = OLD.category
              AND year = OLD.year AND status = OLD.status
              AND volunteer_supported = OLD.volunteer_supported;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO service_totals
            VALUES (NEW.district_code, NEW.category, NEW.year, NEW.status,
                    NEW.volunteer_supported, 1)
            ON CONFLICT (district_code, category, year, status, volunteer_supported)
            DO UPDATE SET n = service_totals.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER services_totalled
    AFTER INSERT OR DELETE OR UPDATE OF district_code, category, year, status, volunteer_supported
    ON services FOR EACH ROW EXECUTE FUNCTION services_total();
