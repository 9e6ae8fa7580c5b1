-- sqlxos.workload: the statements captured by the executor hooks in the
-- current database (sqlxos must be in shared_preload_libraries).
-- Everyone may read it; non-privileged users see only their own statements.
CREATE VIEW sqlxos.workload AS
SELECT dbid, userid, queryid, query, calls,
       total_ms, min_ms, max_ms, mean_ms, stddev_ms,
       rows, cancelled, failed, predicates,
       plan_summary::jsonb AS plan_summary
FROM sqlxos.workload_entries();

GRANT SELECT ON sqlxos.workload TO PUBLIC;

-- Forgetting the workload is for superusers and those they grant it to.
REVOKE ALL ON FUNCTION sqlxos.reset() FROM PUBLIC;
