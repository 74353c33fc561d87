#!/usr/bin/env python3
"""Datasette's side of bench/run.sh, and the raw floor.

  datasette_db.py build LIPA_DB OUT_DB
      From lipa's SQLite file, writes a plain SQLite database of the same registry as Datasette
      likes it: `libraries` and `services` with flat columns (no JSON body to open), JSON arrays
      for what a library has through its published services (categories, years, statuses,
      volunteers, target groups: Datasette filters them with `__arraycontains` and counts them
      with `_facet_array`), indexes on every filter column, and an FTS5 index on the services'
      text (sqlite-utils `enable_fts`). Prints {"seconds": …, "bytes": …}.

  datasette_db.py pick LIPA_DB
      The parameters of the requests, chosen from the data (deterministic): the commonest
      (district, settlement kind, category) of published services, a published service in the
      middle of the IDs, a search word from its name, services for the write. Prints JSON.

  datasette_db.py raw LIPA_DB OUT_DB PARAMS_JSON [RUNS]
      The raw floor: the SQL behind each compared request, run directly on the files with
      Python's sqlite3 (the median of RUNS runs after one warm-up). "list" is every statement
      lipa's libraries page runs (count, page, the page's services, the 8 facet counts), on
      lipa's file; "search" the FTS5 statements Datasette runs (page and count), on its file; "service" one record by its key on
      lipa's file. Prints one JSON line per request.

Only the standard library, plus sqlite-utils for `build` (installed by run.sh in bench/.venv).
"""

import json
import os
import sqlite3
import statistics
import sys
import time

PUBLISHED = "('planned', 'active', 'completed')"


def build(lipa_db, out_db):
    t0 = time.monotonic()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(out_db + suffix):
            os.remove(out_db + suffix)
    db = sqlite3.connect(out_db)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("ATTACH DATABASE ? AS lipa", (f"file:{lipa_db}?mode=ro",))
    db.executescript(
        f"""
        CREATE TABLE services (
            id INTEGER PRIMARY KEY,
            library_id INTEGER NOT NULL,
            name TEXT, goal TEXT, media TEXT,
            category TEXT, year INTEGER, status TEXT, volunteer_supported INTEGER,
            district TEXT, municipality TEXT, settlement_kind TEXT,
            target_groups TEXT, partners TEXT
        );
        INSERT INTO services
        SELECT s.id, s.library_id,
               json_extract(s.body, '$.card.name'), json_extract(s.body, '$.card.goal'),
               json_extract(s.body, '$.card.media'),
               s.category, s.year, s.status, s.volunteer_supported,
               s.district_code, s.municipality_code, s.settlement_kind,
               (SELECT json_group_array(t.name) FROM lipa.service_target_groups t
                 WHERE t.service_id = s.id),
               (SELECT json_group_array(json_extract(p.value, '$.name'))
                  FROM json_each(s.body, '$.card.partners') p)
        FROM lipa.services s ORDER BY s.id;

        CREATE TABLE libraries (
            id INTEGER PRIMARY KEY,
            name TEXT, kind TEXT, settlement TEXT, settlement_kind TEXT,
            municipality TEXT, district TEXT, coordinator INTEGER,
            services INTEGER, categories TEXT, years TEXT, statuses TEXT, volunteers TEXT,
            target_groups TEXT
        );
        CREATE TEMP TABLE pub AS
            SELECT id, library_id, category, year, status, volunteer_supported
            FROM services WHERE status IN {PUBLISHED};
        CREATE INDEX temp.pub_library ON pub (library_id);
        INSERT INTO libraries
        SELECT l.id, json_extract(l.body, '$.name'), l.kind, l.settlement_ekatte,
               l.settlement_kind, l.municipality_code, l.district_code, l.coordinator,
               (SELECT COUNT(*) FROM pub WHERE pub.library_id = l.id),
               (SELECT json_group_array(DISTINCT category) FROM pub WHERE pub.library_id = l.id),
               (SELECT json_group_array(DISTINCT CAST(year AS TEXT)) FROM pub
                 WHERE pub.library_id = l.id),
               (SELECT json_group_array(DISTINCT status) FROM pub WHERE pub.library_id = l.id),
               (SELECT json_group_array(DISTINCT CAST(volunteer_supported AS TEXT)) FROM pub
                 WHERE pub.library_id = l.id),
               (SELECT json_group_array(DISTINCT t.name) FROM pub
                  JOIN lipa.service_target_groups t ON t.service_id = pub.id
                 WHERE pub.library_id = l.id)
        FROM lipa.libraries l ORDER BY l.id;
        DROP TABLE temp.pub;

        CREATE INDEX libraries_district ON libraries (district, settlement_kind);
        CREATE INDEX libraries_municipality ON libraries (municipality);
        CREATE INDEX libraries_settlement_kind ON libraries (settlement_kind);
        CREATE INDEX services_library ON services (library_id);
        CREATE INDEX services_category ON services (category, status);
        CREATE INDEX services_district ON services (district, category);
        CREATE INDEX services_year ON services (year);
        CREATE INDEX services_status ON services (status);
        """
    )
    db.commit()
    db.execute("DETACH DATABASE lipa")
    db.close()
    import sqlite_utils

    sdb = sqlite_utils.Database(out_db)
    sdb["services"].enable_fts(
        ["name", "goal", "target_groups", "partners", "media"], fts_version="FTS5"
    )
    sdb["libraries"].enable_fts(["name"], fts_version="FTS5")
    sdb.execute("ANALYZE")
    sdb.conn.commit()
    sdb.vacuum()
    sdb.close()
    print(
        json.dumps(
            {"seconds": round(time.monotonic() - t0, 3), "bytes": os.path.getsize(out_db)}
        )
    )


def pick(lipa_db):
    db = sqlite3.connect(f"file:{lipa_db}?mode=ro", uri=True)
    district, kind, category, _ = db.execute(
        f"""SELECT s.district_code, s.settlement_kind, s.category, COUNT(*) AS n
            FROM services s WHERE s.status IN {PUBLISHED}
            GROUP BY 1, 2, 3 ORDER BY n DESC, 1, 2, 3 LIMIT 1"""
    ).fetchone()
    ids = [
        r[0]
        for r in db.execute(
            f"SELECT id FROM services WHERE status IN {PUBLISHED} ORDER BY id"
        )
    ]
    service = ids[len(ids) // 2]
    (name,) = db.execute(
        "SELECT json_extract(body, '$.card.name') FROM services WHERE id = ?", (service,)
    ).fetchone()
    words = [w.strip("„“\"'.,:;()–-") for w in name.split()]
    words = [w for w in words if len(w) >= 5] or [w for w in words if w] or ["библиотека"]
    query = max(words, key=len).lower()
    # The writes go to 512 services spread over the registry: bench/wrk.lua gives each thread
    # its own and takes them in turn, so a record comes back only after 256 writes of its
    # thread — more than a slow write lets the thread's other connections do meanwhile.
    step = max(1, len(ids) // 512)
    writes = ids[::step][:512]
    print(
        json.dumps(
            {
                "district": district,
                "settlement_kind": kind,
                "category": category,
                "service": service,
                "query": query,
                "writes": writes,
            },
            ensure_ascii=False,
        )
    )


def timed(fn, runs):
    fn()  # warm-up: the pages a first run reads come from the disk, later ones from the cache
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(samples), max(samples)


def raw(lipa_db, out_db, params, runs):
    p = json.loads(params)
    lipa = sqlite3.connect(f"file:{lipa_db}?mode=ro", uri=True)
    ds = sqlite3.connect(f"file:{out_db}?mode=ro", uri=True)
    d, k, c = p["district"], p["settlement_kind"], p["category"]
    svc = f"s.status IN {PUBLISHED} AND s.category = ?"
    lib = f"l.district_code = ? AND l.settlement_kind = ? AND l.id IN (SELECT s.library_id FROM services s WHERE {svc})"

    def facet_lib(column, skip):
        conds, args = [], []
        if skip != "district":
            conds.append("l.district_code = ?")
            args.append(d)
        if skip != "settlement_kind":
            conds.append("l.settlement_kind = ?")
            args.append(k)
        conds.append(f"l.id IN (SELECT s.library_id FROM services s WHERE {svc})")
        args.append(c)
        sql = (
            f"SELECT {column} AS v, COUNT(*) AS n FROM libraries l WHERE {' AND '.join(conds)} "
            f"GROUP BY {column} ORDER BY n DESC, v"
        )
        return sql, args

    def facet_svc(column, join, skip):
        sconds, sargs = [f"s.status IN {PUBLISHED}"], []
        if skip != "category":
            sconds.append("s.category = ?")
            sargs.append(c)
        lconds = "l.district_code = ? AND l.settlement_kind = ?"
        largs = [d, k]
        if skip != "category":
            lconds += f" AND l.id IN (SELECT s.library_id FROM services s WHERE {svc})"
            largs.append(c)
        sql = (
            f"SELECT {column} AS v, COUNT(DISTINCT l.id) AS n FROM libraries l "
            f"JOIN services s ON s.library_id = l.id{join} "
            f"WHERE {lconds} AND {' AND '.join(sconds)} GROUP BY {column} ORDER BY n DESC, v"
        )
        return sql, largs + sargs

    statements = [
        facet_lib("l.district_code", "district"),
        facet_lib("l.municipality_code", "municipality"),
        facet_lib("l.settlement_kind", "settlement_kind"),
        facet_svc("s.category", "", "category"),
        facet_svc("CAST(s.year AS TEXT)", "", "year"),
        facet_svc("s.status", "", "status"),
        facet_svc("CAST(s.volunteer_supported AS TEXT)", "", "volunteers"),
        facet_svc(
            "t.name", " JOIN service_target_groups t ON t.service_id = s.id", "target_group"
        ),
    ]

    def lipa_list():
        lipa.execute(f"SELECT COUNT(*) FROM libraries l WHERE {lib}", (d, k, c)).fetchone()
        rows = lipa.execute(
            f"""SELECT l.id, l.body, l.version, l.created_at, l.updated_at,
                  (SELECT COUNT(*) FROM services s WHERE s.library_id = l.id AND {svc}) AS services
                FROM libraries l WHERE {lib} ORDER BY l.id LIMIT 25 OFFSET 0""",
            (c, d, k, c),
        ).fetchall()
        ids = ",".join(str(r[0]) for r in rows) or "NULL"
        lipa.execute(
            f"SELECT id, body, version, created_at, updated_at FROM services "
            f"WHERE library_id IN ({ids}) ORDER BY id"
        ).fetchall()
        for sql, args in statements:
            lipa.execute(sql, args).fetchall()

    def ds_search():
        # What Datasette runs for `services.json?_search=…&_size=20`: the page and the count.
        match = "rowid IN (SELECT rowid FROM services_fts WHERE services_fts MATCH ?)"
        q = (fts_escape(p["query"]),)
        ds.execute(f"SELECT * FROM services WHERE {match} ORDER BY id LIMIT 21", q).fetchall()
        ds.execute(f"SELECT COUNT(*) FROM services WHERE {match}", q).fetchone()

    def lipa_service():
        lipa.execute(
            "SELECT id, body, version, created_at, updated_at FROM services WHERE id = ?",
            (p["service"],),
        ).fetchone()

    for name, fn in (("list", lipa_list), ("search", ds_search), ("service", lipa_service)):
        p50, worst = timed(fn, runs)
        print(json.dumps({"request": name, "p50_ms": round(p50, 3), "max_ms": round(worst, 3)}))


def fts_escape(q):
    """Datasette's `_search` escaping (each word quoted), so the floor runs its query."""
    return " ".join('"{}"'.format(w.replace('"', "")) for w in q.split())


def main(argv):
    if len(argv) >= 4 and argv[1] == "build":
        build(argv[2], argv[3])
    elif len(argv) >= 3 and argv[1] == "pick":
        pick(argv[2])
    elif len(argv) >= 5 and argv[1] == "raw":
        raw(argv[2], argv[3], argv[4], int(argv[5]) if len(argv) > 5 else 9)
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
