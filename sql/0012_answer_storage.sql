-- Every save rewrites a case's answers (Botkyrka's PO redovisning: 4.5 KB of
-- jsonb) and keeps the version in case_answer_versions. Measured with perf
-- under scripts/bench-load, compressing that document with pglz on every
-- write was PostgreSQL's largest single cost.
--
-- The case row stays inline and uncompressed up to a whole page: a row is
-- only compressed or moved out of line when it is larger than this target.
ALTER TABLE cases SET (toast_tuple_target = 8160);
-- The history is written once and read rarely, so it stays compressed, with
-- lz4 (several times faster than pglz). New rows only; old ones keep pglz.
ALTER TABLE case_answer_versions ALTER COLUMN answers SET COMPRESSION lz4;
