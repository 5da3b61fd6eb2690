-- Schema 1: runs and what they produced.
--
-- `runs` holds one row per run, metadata only (no citizen's data: template, profile, model,
-- data class, status, counts, who confirmed sending unmasked). It is the audit record and is
-- written even when the history is off. Everything that may hold personal data (form values,
-- file names, the messages as sent, the replacements, the answer, edits, export paths) lives in
-- the tables below, which are written only when the history is on.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,      -- 'run:2026-11-30': the last run number of that local day
    value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE runs (
    num               INTEGER PRIMARY KEY,      -- stable rowid (the full-text index's key)
    id                TEXT NOT NULL UNIQUE,     -- 'R2026-11-30-0007', never reused
    started_at        INTEGER NOT NULL,
    finished_at       INTEGER,
    template_id       TEXT NOT NULL,
    template_title    TEXT NOT NULL DEFAULT '',
    template_version  TEXT NOT NULL DEFAULT '',
    template_hash     TEXT NOT NULL DEFAULT '',
    profile           TEXT NOT NULL DEFAULT '',
    model             TEXT NOT NULL DEFAULT '',
    data_class        TEXT NOT NULL CHECK (data_class IN ('local', 'sovereign', 'cloud')),
    status            TEXT NOT NULL CHECK (status IN ('running', 'done', 'partial', 'cancelled', 'failed')),
    error_code        TEXT,
    duration_ms       INTEGER,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    masked            TEXT NOT NULL DEFAULT '{}',  -- placeholders by kind, counts only: {"CIN":2}
    override_by       TEXT,                        -- who confirmed sending unmasked
    override_what     TEXT,                        -- what they confirmed
    override_at       INTEGER,
    texts_kept        INTEGER NOT NULL,            -- 1: the history was on for this run
    owner             TEXT                         -- token of the recording process while running
);
CREATE INDEX runs_started ON runs (started_at);
CREATE INDEX runs_template ON runs (template_id, started_at);
CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

CREATE TABLE run_texts (
    num          INTEGER PRIMARY KEY REFERENCES runs (num) ON DELETE CASCADE,
    lang         TEXT NOT NULL DEFAULT '',
    objet        TEXT NOT NULL DEFAULT '',
    addressee    TEXT NOT NULL DEFAULT '',
    form         TEXT NOT NULL DEFAULT '{}',   -- field -> value, as typed (JSON)
    inputs       TEXT NOT NULL DEFAULT '[]',   -- [{field, name, sha256, bytes}] (JSON)
    messages     TEXT NOT NULL DEFAULT '[]',   -- [{role, content}] as sent (JSON)
    replacements TEXT NOT NULL DEFAULT '[]',   -- [{placeholder, original, kind}] (JSON)
    answer       TEXT NOT NULL DEFAULT ''      -- complete once the run has ended
);

-- The streamed answer while a run is going: appended at each checkpoint, folded into
-- run_texts.answer when the run ends (or when a dead process's run is recovered).
CREATE TABLE run_chunks (
    num  INTEGER NOT NULL REFERENCES runs (num) ON DELETE CASCADE,
    seq  INTEGER NOT NULL,
    at   INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (num, seq)
) WITHOUT ROWID;

CREATE TABLE run_edits (
    num      INTEGER NOT NULL REFERENCES runs (num) ON DELETE CASCADE,
    version  INTEGER NOT NULL,
    saved_at INTEGER NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (num, version)
) WITHOUT ROWID;

CREATE TABLE run_exports (
    num    INTEGER NOT NULL REFERENCES runs (num) ON DELETE CASCADE,
    at     INTEGER NOT NULL,
    format TEXT NOT NULL,
    path   TEXT NOT NULL
);
CREATE INDEX run_exports_num ON run_exports (num);

-- Full-text index of runs with texts. Contentless: the text is folded in Rust (accents,
-- Arabic letter forms) before it is indexed, and snippets are cut from the original text.
CREATE VIRTUAL TABLE runs_fts USING fts5 (
    title, objet, addressee, body, inputs,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER run_texts_unindex AFTER DELETE ON run_texts BEGIN
    DELETE FROM runs_fts WHERE rowid = old.num;
END;
-- Ranking: a match in the object or the addressee counts more than one in the body.
INSERT INTO runs_fts (runs_fts, rank) VALUES ('rank', 'bm25(2.0, 4.0, 3.0, 1.0, 1.5)');
