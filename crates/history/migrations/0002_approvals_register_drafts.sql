-- Schema 2: "relu et validé par", the outgoing-mail register, the desktop's drafts.

-- Reviews of a run (metadata: the reviewer's name and function, not a citizen's data),
-- kept when the history is off; removed with their run.
CREATE TABLE approvals (
    num      INTEGER NOT NULL REFERENCES runs (num) ON DELETE CASCADE,
    at       INTEGER NOT NULL,
    name     TEXT NOT NULL,
    function TEXT NOT NULL
);
CREATE INDEX approvals_num ON approvals (num);

-- The register of outgoing mail (registre du courrier départ). An administrative record of its
-- own: never purged with the runs, rows never deleted, so a number is never given twice.
CREATE TABLE register (
    scope        TEXT NOT NULL,     -- the sequence's scope: the service, or '' when the pattern has none
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    service      TEXT NOT NULL,
    date         TEXT NOT NULL,     -- the letter's date, YYYY-MM-DD
    addressee    TEXT NOT NULL DEFAULT '',
    object       TEXT NOT NULL DEFAULT '',
    file         TEXT NOT NULL DEFAULT '',
    run_id       TEXT,              -- not a foreign key: the entry outlives a purged run
    allocated_at INTEGER NOT NULL,
    PRIMARY KEY (scope, year, seq)
) WITHOUT ROWID;
CREATE INDEX register_date ON register (date);

-- The desktop's autosaved form and answer, one per template (opaque JSON from the window).
CREATE TABLE drafts (
    template_id TEXT PRIMARY KEY,
    updated_at  INTEGER NOT NULL,
    data        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX drafts_updated ON drafts (updated_at);
