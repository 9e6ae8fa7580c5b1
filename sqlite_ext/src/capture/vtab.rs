//! `sqlxos_workload`: an eponymous virtual table over the connection's
//! captured statements, most total time first.
//!
//! ```sql
//! SELECT id, calls, round(mean_ms, 3), rows, interrupted, query
//! FROM sqlxos_workload ORDER BY total_ms DESC LIMIT 5;
//! ```

use std::borrow::Cow;
use std::ffi::{c_int, CStr};
use std::sync::Arc;

use rusqlite::vtab::{
    Context, Filters, IndexInfo, Module, VTab, VTabConfig, VTabConnection, VTabCursor,
};
use rusqlite::{ffi, Connection};

use super::store::Entry;
use super::ConnState;

const SCHEMA: &CStr = c"CREATE TABLE x(query TEXT, id TEXT, calls INTEGER, total_ms REAL, mean_ms REAL, rows INTEGER, interrupted INTEGER)";

/// Registers the module (and so the eponymous table) on `db`.
pub(crate) fn register(db: &Connection, state: &Arc<ConnState>) -> rusqlite::Result<()> {
    const MODULE: Module<'static, WorkloadTab> = Module::eponymous_only_module();
    db.create_module(c"sqlxos_workload", &MODULE, Some(Arc::clone(state)))
}

#[repr(C)]
pub(crate) struct WorkloadTab {
    base: ffi::sqlite3_vtab,
    state: Arc<ConnState>,
}

// SAFETY: `WorkloadTab` is #[repr(C)] with `sqlite3_vtab` first, as
// rusqlite requires.
unsafe impl<'vtab> VTab<'vtab> for WorkloadTab {
    type Aux = Arc<ConnState>;
    type Cursor = WorkloadCursor;

    fn connect(
        db: &mut VTabConnection,
        aux: Option<&Arc<ConnState>>,
        _module: &[u8],
        _database: &[u8],
        _table: &[u8],
        _args: &[&[u8]],
    ) -> rusqlite::Result<(Cow<'static, CStr>, Self)> {
        let state = aux
            .cloned()
            .ok_or_else(|| rusqlite::Error::ModuleError("sqlxos_workload: no state".into()))?;
        db.config(VTabConfig::DirectOnly)?;
        Ok((
            Cow::Borrowed(SCHEMA),
            WorkloadTab {
                base: ffi::sqlite3_vtab::default(),
                state,
            },
        ))
    }

    fn best_index(&self, info: &mut IndexInfo) -> rusqlite::Result<bool> {
        info.set_estimated_cost(1000.0);
        Ok(true)
    }

    fn open(&'vtab mut self) -> rusqlite::Result<WorkloadCursor> {
        Ok(WorkloadCursor {
            base: ffi::sqlite3_vtab_cursor::default(),
            state: Arc::clone(&self.state),
            rows: Vec::new(),
            at: 0,
        })
    }
}

#[repr(C)]
pub(crate) struct WorkloadCursor {
    base: ffi::sqlite3_vtab_cursor,
    state: Arc<ConnState>,
    rows: Vec<Entry>,
    at: usize,
}

// SAFETY: #[repr(C)] with `sqlite3_vtab_cursor` first.
unsafe impl VTabCursor for WorkloadCursor {
    fn filter(&mut self, _: c_int, _: Option<&str>, _: &Filters<'_>) -> rusqlite::Result<()> {
        self.rows = self.state.store().snapshot();
        self.at = 0;
        Ok(())
    }

    fn next(&mut self) -> rusqlite::Result<()> {
        self.at += 1;
        Ok(())
    }

    fn eof(&self) -> bool {
        self.at >= self.rows.len()
    }

    fn column(&self, ctx: &mut Context, i: c_int) -> rusqlite::Result<()> {
        let e = &self.rows[self.at];
        let int = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        match i {
            0 => ctx.set_result(&e.query),
            1 => ctx.set_result(&e.id),
            2 => ctx.set_result(&int(e.calls)),
            3 => ctx.set_result(&e.total_ms),
            4 => ctx.set_result(&e.mean_ms()),
            5 => ctx.set_result(&int(e.rows)),
            _ => ctx.set_result(&int(e.interrupted)),
        }
    }

    fn rowid(&self) -> rusqlite::Result<i64> {
        Ok(self.at as i64 + 1)
    }
}
