//! `sqlxos_suggest_indexes` (over the captured workload) and
//! `sqlxos_suggest_indexes_for(sql)` (one statement): eponymous,
//! table-valued virtual tables with the same columns as PostgreSQL's
//! `sqlxos.suggest_indexes()`.
//!
//! ```sql
//! SELECT index_ddl, improvement_pct, reason FROM sqlxos_suggest_indexes();
//! SELECT index_ddl FROM sqlxos_suggest_indexes_for('SELECT * FROM t WHERE a = 1');
//! ```
//!
//! Nothing is created: run the `index_ddl` to build an index. Both are
//! `SQLITE_VTAB_DIRECTONLY` (they read the whole schema and samples of the
//! data): a trigger or view cannot call them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::{c_int, CStr};
use std::sync::Arc;

use rusqlite::types::Value;
use rusqlite::vtab::{
    Context, Filters, IndexConstraintOp, IndexInfo, Module, VTab, VTabConfig, VTabConnection,
    VTabCursor,
};
use rusqlite::{ffi, Connection};
use sqlxos_core::sql::{features, fingerprint, parse_one, Dialect, StatementKind};

use super::{suggest, Input, Refusal, Suggestion};
use crate::capture::ConnState;

const SCHEMA: &CStr = c"CREATE TABLE x(table_name TEXT, columns TEXT, index_ddl TEXT, estimated_bytes INTEGER, cost_before REAL, cost_after REAL, improvement_pct REAL, queries TEXT, reason TEXT, sql HIDDEN)";
/// Column number of the hidden `sql` argument.
const SQL_COLUMN: c_int = 9;
const FOR: &str = "suggest_indexes_for";

/// Registers both modules on `db`.
pub(crate) fn register(db: &Connection, state: &Arc<ConnState>) -> rusqlite::Result<()> {
    const MODULE: Module<'static, SuggestTab> = Module::eponymous_only_module();
    db.create_module(c"sqlxos_suggest_indexes", &MODULE, Some(Arc::clone(state)))?;
    db.create_module(
        c"sqlxos_suggest_indexes_for",
        &MODULE,
        Some(Arc::clone(state)),
    )
}

#[repr(C)]
pub(crate) struct SuggestTab {
    base: ffi::sqlite3_vtab,
    state: Arc<ConnState>,
    /// `sqlxos_suggest_indexes_for`: takes the `sql` argument.
    single: bool,
}

// SAFETY: #[repr(C)] with `sqlite3_vtab` first, as rusqlite requires.
unsafe impl<'vtab> VTab<'vtab> for SuggestTab {
    type Aux = Arc<ConnState>;
    type Cursor = SuggestCursor;

    fn connect(
        db: &mut VTabConnection,
        aux: Option<&Arc<ConnState>>,
        module: &[u8],
        _database: &[u8],
        _table: &[u8],
        _args: &[&[u8]],
    ) -> rusqlite::Result<(Cow<'static, CStr>, Self)> {
        let state = aux.cloned().ok_or_else(|| {
            rusqlite::Error::ModuleError("sqlxos_suggest_indexes: no state".into())
        })?;
        db.config(VTabConfig::DirectOnly)?;
        Ok((
            Cow::Borrowed(SCHEMA),
            SuggestTab {
                base: ffi::sqlite3_vtab::default(),
                state,
                single: module.ends_with(b"_for"),
            },
        ))
    }

    fn best_index(&self, info: &mut IndexInfo) -> rusqlite::Result<bool> {
        let mut arg = None;
        for (i, c) in info.constraints().enumerate() {
            if c.column() == SQL_COLUMN
                && c.is_usable()
                && c.operator() == IndexConstraintOp::SQLITE_INDEX_CONSTRAINT_EQ
            {
                arg = Some(i);
            }
        }
        if let Some(i) = arg {
            let mut u = info.constraint_usage(i);
            u.set_argv_index(1);
            u.set_omit(true);
            info.set_idx_num(1);
            info.set_estimated_cost(1e6);
        } else {
            info.set_idx_num(0);
            info.set_estimated_cost(1e12);
        }
        Ok(true)
    }

    fn open(&'vtab mut self) -> rusqlite::Result<SuggestCursor> {
        Ok(SuggestCursor {
            base: ffi::sqlite3_vtab_cursor::default(),
            state: Arc::clone(&self.state),
            single: self.single,
            rows: Vec::new(),
            at: 0,
            sql: None,
        })
    }
}

#[repr(C)]
pub(crate) struct SuggestCursor {
    base: ffi::sqlite3_vtab_cursor,
    state: Arc<ConnState>,
    single: bool,
    rows: Vec<Suggestion>,
    at: usize,
    sql: Option<String>,
}

fn refuse(func: &'static str, message: String) -> rusqlite::Error {
    rusqlite::Error::ModuleError(
        crate::error::Error::Message { func, message }
            .to_string()
            .replace('\0', "\\0"),
    )
}

fn got(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(t) => sqlxos_core::error::quote_short(t),
        Value::Blob(b) => format!("a {}-byte blob", b.len()),
    }
}

impl SuggestCursor {
    fn for_one(&mut self, arg: Option<Value>) -> rusqlite::Result<Vec<Suggestion>> {
        let expected = "must be one SELECT, UPDATE or DELETE statement as text";
        let sql = match arg {
            None => {
                return Err(refuse(
                    FOR,
                    "argument \"sql\" is required: SELECT * FROM sqlxos_suggest_indexes_for('SELECT ...')".into(),
                ))
            }
            Some(Value::Text(t)) => t,
            Some(Value::Blob(b)) if std::str::from_utf8(&b).is_ok() => {
                String::from_utf8(b).unwrap_or_default()
            }
            Some(v) => {
                return Err(refuse(FOR, format!("argument \"sql\" {expected}, got {}", got(&v))))
            }
        };
        if let Err(e) = parse_one(&sql, Dialect::Sqlite) {
            return Err(refuse(FOR, format!("argument \"sql\" {expected}: {e}")));
        }
        let kind = features(&sql, Dialect::Sqlite).map(|f| f.kind);
        if !matches!(
            kind,
            Ok(StatementKind::Select | StatementKind::Update | StatementKind::Delete)
        ) {
            return Err(refuse(
                FOR,
                format!(
                    "argument \"sql\" {expected}, got {}",
                    sqlxos_core::error::quote_short(&sql)
                ),
            ));
        }
        let id = fingerprint(&sql, Dialect::Sqlite)
            .map(|f| format!("{:016x}", f.hash))
            .unwrap_or_default();
        self.sql = Some(sql.clone());
        let input = Input {
            id,
            shown: sql.clone(),
            sql,
            calls: 1.0,
            mean_ms: 0.0,
        };
        match suggest(&self.state, &[input], &HashMap::new(), true) {
            Ok(v) => Ok(v),
            Err(Ok(Refusal::Kind(k))) => Err(refuse(
                FOR,
                format!("argument \"sql\" {expected}, got a {k} statement"),
            )),
            Err(Ok(Refusal::Plan(e))) => Err(refuse(
                FOR,
                format!("argument \"sql\" cannot be planned by SQLite: {e}"),
            )),
            Err(Err(e)) => Err(refuse(FOR, e)),
        }
    }

    fn for_workload(&mut self) -> rusqlite::Result<Vec<Suggestion>> {
        let entries = self.state.store().snapshot();
        let mut inputs = Vec::new();
        let mut writes: HashMap<String, f64> = HashMap::new();
        for e in entries {
            let Some(sample) = e.sample.clone() else {
                continue;
            };
            let Ok(f) = features(&sample, Dialect::Sqlite) else {
                continue;
            };
            match f.kind {
                StatementKind::Insert | StatementKind::Update | StatementKind::Delete => {
                    if let Some(t) = f.tables.first() {
                        *writes.entry(t.to_lowercase()).or_default() += e.calls as f64;
                    }
                }
                _ => {}
            }
            if matches!(
                f.kind,
                StatementKind::Select | StatementKind::Update | StatementKind::Delete
            ) {
                inputs.push(Input {
                    id: e.id.clone(),
                    shown: e.query.clone(),
                    sql: sample,
                    calls: e.calls as f64,
                    mean_ms: e.mean_ms(),
                });
            }
        }
        suggest(&self.state, &inputs, &writes, false).map_err(|e| match e {
            Err(e) => refuse("suggest_indexes", e),
            Ok(Refusal::Kind(k) | Refusal::Plan(k)) => refuse("suggest_indexes", k),
        })
    }
}

// SAFETY: #[repr(C)] with `sqlite3_vtab_cursor` first.
unsafe impl VTabCursor for SuggestCursor {
    fn filter(
        &mut self,
        idx_num: c_int,
        _: Option<&str>,
        args: &Filters<'_>,
    ) -> rusqlite::Result<()> {
        self.at = 0;
        let arg = if idx_num == 1 && !args.is_empty() {
            Some(args.get::<Value>(0)?)
        } else {
            None
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if self.single {
                self.for_one(arg)
            } else if arg.is_some() {
                Err(refuse(
                    "suggest_indexes",
                    "takes no argument; use sqlxos_suggest_indexes_for(sql) for one statement"
                        .into(),
                ))
            } else {
                self.for_workload()
            }
        }));
        self.rows = match run {
            Ok(r) => r?,
            Err(p) => {
                let func = if self.single { FOR } else { "suggest_indexes" };
                return Err(rusqlite::Error::ModuleError(
                    crate::error::Error::panic(func, p.as_ref()).to_string(),
                ));
            }
        };
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
        let r = &self.rows[self.at];
        match i {
            0 => ctx.set_result(&r.table_name),
            1 => ctx.set_result(&r.columns),
            2 => ctx.set_result(&r.index_ddl),
            3 => ctx.set_result(&r.estimated_bytes),
            4 => ctx.set_result(&r.cost_before),
            5 => ctx.set_result(&r.cost_after),
            6 => ctx.set_result(&r.improvement_pct),
            7 => ctx.set_result(&r.queries),
            8 => ctx.set_result(&r.reason),
            _ => ctx.set_result(&self.sql),
        }
    }

    fn rowid(&self) -> rusqlite::Result<i64> {
        Ok(self.at as i64 + 1)
    }
}
