//! `CREATE INDEX` text to a [`HypoIndex`], with PostgreSQL's own parser.
//!
//! Accepted: `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name]
//! ON [ONLY] table [USING btree] (col [ASC|DESC] [NULLS FIRST|LAST], ...)
//! [INCLUDE (col, ...)] [WITH (fillfactor = n)] [WHERE predicate]`.
//! `CONCURRENTLY`, `IF NOT EXISTS`, `ONLY`, `TABLESPACE` and
//! `NULLS NOT DISTINCT` change nothing for planning and are ignored.
//! Refused with 22023: other access methods, expressions, COLLATE,
//! operator classes, other storage parameters, partitioned tables, objects
//! that are not tables or materialized views, mutable predicates.

use std::ffi::CString;

use pgrx::pg_sys;
use pgrx::PgTryBuilder;

use super::error::HypoError;
use super::index::{btree_size, HypoColumn, HypoIndex};
use super::{cstr, list_ptrs, make_node, tag_of};

unsafe extern "C-unwind" {
    /// `parser/parse_utilcmd.h`, not in pgrx's bindings.
    #[link_name = "transformIndexStmt"]
    fn transformIndexStmt_unguarded(
        relid: pg_sys::Oid,
        stmt: *mut pg_sys::IndexStmt,
        query_string: *const std::ffi::c_char,
    ) -> *mut pg_sys::IndexStmt;
}

/// PostgreSQL's `transformIndexStmt`, with an ERROR turned into a Rust panic.
///
/// # Safety
/// `relid` is locked; `stmt` an `IndexStmt` on it; `text` its source.
unsafe fn transform_index_stmt(
    relid: pg_sys::Oid,
    stmt: *mut pg_sys::IndexStmt,
    text: *const std::ffi::c_char,
) -> *mut pg_sys::IndexStmt {
    // SAFETY: only the C call runs inside the boundary.
    unsafe {
        pg_sys::ffi::pg_guard_ffi_boundary(|| transformIndexStmt_unguarded(relid, stmt, text))
    }
}

/// PostgreSQL's `INDEX_MAX_KEYS`.
const INDEX_MAX_KEYS: usize = 32;

/// Parses one `CREATE INDEX` statement into a hypothetical index with the
/// fake OID `oid`. `what` names the argument in messages (`index_ddl[2]`).
/// An ERROR that PostgreSQL raises (a syntax error, an unknown column in
/// the predicate...) comes back as [`HypoError::Postgres`] with its
/// SQLSTATE; the caller must raise it or roll back a subtransaction.
pub fn parse(ddl: &str, what: &str, oid: pg_sys::Oid) -> Result<HypoIndex, HypoError> {
    if ddl.trim().is_empty() {
        return Err(HypoError::InvalidArgument(format!(
            "{what}: is empty; expected a CREATE INDEX statement"
        )));
    }
    let text = CString::new(ddl)
        .map_err(|_| HypoError::InvalidArgument(format!("{what}: contains a NUL byte")))?;
    let what_owned = what.to_owned();
    PgTryBuilder::new(|| {
        // SAFETY: in a transaction, with a NUL-terminated DDL string that
        // outlives every use (the parse tree points into copies).
        unsafe { parse_inner(&text, &what_owned, oid) }
    })
    .catch_others(|e| Err(HypoError::from_caught(what, e)))
    .execute()
}

/// # Safety
/// Call in a transaction.
unsafe fn parse_inner(
    text: &CString,
    what: &str,
    oid: pg_sys::Oid,
) -> Result<HypoIndex, HypoError> {
    let invalid = |m: String| HypoError::InvalidArgument(format!("{what}: {m}"));
    // SAFETY: all pointers come from PostgreSQL's parser and catalogs and
    // are read as the C declarations say; errors unwind to `parse`.
    unsafe {
        let raw = pg_sys::raw_parser(text.as_ptr(), pg_sys::RawParseMode::RAW_PARSE_DEFAULT);
        let stmts = list_ptrs::<pg_sys::RawStmt>(raw);
        if stmts.len() != 1 {
            return Err(invalid(format!(
                "expected one CREATE INDEX statement, got {} statements",
                stmts.len()
            )));
        }
        let node = (*stmts[0]).stmt;
        if tag_of(node) != pg_sys::NodeTag::T_IndexStmt {
            return Err(invalid("expected a CREATE INDEX statement".into()));
        }
        let stmt = node.cast::<pg_sys::IndexStmt>();
        let am = cstr((*stmt).accessMethod);
        if !am.is_empty() && am != "btree" {
            return Err(invalid(format!(
                "only btree indexes are supported, not USING {am}"
            )));
        }
        let fillfactor = fillfactor((*stmt).options, &invalid)?;

        let rv = (*stmt).relation;
        let table = if (*rv).schemaname.is_null() {
            cstr((*rv).relname)
        } else {
            format!("{}.{}", cstr((*rv).schemaname), cstr((*rv).relname))
        };
        let relid = pg_sys::RangeVarGetRelidExtended(
            rv,
            pg_sys::AccessShareLock as pg_sys::LOCKMODE,
            pg_sys::RVROption::RVR_MISSING_OK,
            None,
            std::ptr::null_mut(),
        );
        if relid == pg_sys::InvalidOid {
            return Err(HypoError::UndefinedTable(format!(
                "{what}: relation \"{table}\" does not exist"
            )));
        }
        let relkind = pg_sys::get_rel_relkind(relid) as u8;
        if relkind == pg_sys::RELKIND_PARTITIONED_TABLE {
            return Err(invalid(format!(
                "\"{table}\" is a partitioned table: hypothetical indexes on partitioned tables are not supported yet (name a partition)"
            )));
        }
        if relkind != pg_sys::RELKIND_RELATION && relkind != pg_sys::RELKIND_MATVIEW {
            return Err(invalid(format!(
                "\"{table}\" is not a table or materialized view"
            )));
        }

        let mut keys = Vec::new();
        for elem in list_ptrs::<pg_sys::IndexElem>((*stmt).indexParams) {
            keys.push(column(relid, &table, elem, true, what)?);
        }
        let mut include = Vec::new();
        for elem in list_ptrs::<pg_sys::IndexElem>((*stmt).indexIncludingParams) {
            include.push(column(relid, &table, elem, false, what)?);
        }
        if keys.is_empty() {
            return Err(invalid("an index needs at least one key column".into()));
        }
        if keys.len() + include.len() > INDEX_MAX_KEYS {
            return Err(invalid(format!(
                "an index has at most {INDEX_MAX_KEYS} columns"
            )));
        }

        let mut predicate: *mut pg_sys::List = std::ptr::null_mut();
        if !(*stmt).whereClause.is_null() {
            let t = transform_index_stmt(relid, stmt, text.as_ptr());
            let mut clause = (*t).whereClause;
            if pg_sys::contain_mutable_functions(clause) {
                return Err(invalid(
                    "functions in an index predicate must be marked IMMUTABLE".into(),
                ));
            }
            // What RelationGetIndexPredicate does to a real index's predicate.
            clause = pg_sys::eval_const_expressions(std::ptr::null_mut(), clause);
            clause = pg_sys::canonicalize_qual(clause.cast(), false).cast();
            predicate = pg_sys::make_ands_implicit(clause.cast());
            pg_sys::fix_opfuncids(predicate.cast());
        }

        let (table_tuples, selectivity) = table_estimates(relid, predicate);
        let tuples = (table_tuples * selectivity).round().max(0.0);
        let dedup = if (*stmt).unique || !include.is_empty() {
            None
        } else {
            dedup_keys(relid, &keys, table_tuples)
        };
        let dedup = dedup.map(|d| (d * selectivity).max(1.0).min(tuples.max(1.0)));
        let (pages, tree_height) = btree_size(tuples, &keys, &include, fillfactor, dedup);
        let name = if (*stmt).idxname.is_null() {
            default_name(&cstr((*rv).relname), keys.iter().chain(include.iter()))
        } else {
            cstr((*stmt).idxname)
        };
        Ok(HypoIndex {
            oid,
            relid,
            table,
            name,
            keys,
            include,
            unique: (*stmt).unique,
            predicate,
            selectivity,
            tuples,
            pages,
            tree_height,
        })
    }
}

/// Key types whose btree operator classes compare equal by image, so a
/// btree on them deduplicates (numeric, float and jsonb do not).
const DEDUP_TYPES: &[u32] = &[
    pg_sys::BOOLOID.to_u32(),
    pg_sys::CHAROID.to_u32(),
    pg_sys::INT2OID.to_u32(),
    pg_sys::INT4OID.to_u32(),
    pg_sys::INT8OID.to_u32(),
    pg_sys::OIDOID.to_u32(),
    pg_sys::DATEOID.to_u32(),
    pg_sys::TIMESTAMPOID.to_u32(),
    pg_sys::TIMESTAMPTZOID.to_u32(),
    pg_sys::TIMEOID.to_u32(),
    pg_sys::UUIDOID.to_u32(),
    pg_sys::TEXTOID.to_u32(),
    pg_sys::VARCHAROID.to_u32(),
    pg_sys::BPCHAROID.to_u32(),
];

/// The distinct keys of an index on `keys` when it would deduplicate: every
/// key of a type in [`DEDUP_TYPES`] with a deterministic collation and
/// statistics (`ANALYZE`d); the product of their distinct counts, at most
/// `tuples`. `None` otherwise.
///
/// # Safety
/// In a transaction (syscache lookups).
unsafe fn dedup_keys(relid: pg_sys::Oid, keys: &[HypoColumn], tuples: f64) -> Option<f64> {
    let mut product = 1.0f64;
    for k in keys {
        if !DEDUP_TYPES.contains(&k.typid.to_u32()) {
            return None;
        }
        // SAFETY: syscache lookups, released before returning.
        unsafe {
            if k.collation != pg_sys::InvalidOid
                && k.collation != pg_sys::DEFAULT_COLLATION_OID
                && k.collation != pg_sys::C_COLLATION_OID
                && k.collation != pg_sys::Oid::from(pg_sys::POSIX_COLLATION_OID)
                && !pg_sys::get_collation_isdeterministic(k.collation)
            {
                return None;
            }
            let tup = pg_sys::SearchSysCache3(
                pg_sys::SysCacheIdentifier::STATRELATTINH as i32,
                pg_sys::Datum::from(relid),
                pg_sys::Datum::from(k.attnum),
                pg_sys::Datum::from(false),
            );
            if tup.is_null() {
                return None;
            }
            let stat = pg_sys::heap_tuple_get_struct::<pg_sys::FormData_pg_statistic>(tup);
            let d = f64::from((*stat).stadistinct);
            pg_sys::ReleaseSysCache(tup);
            let d = if d > 0.0 {
                d
            } else if d < 0.0 {
                -d * tuples
            } else {
                return None;
            };
            product *= d.max(1.0);
        }
    }
    Some(product.min(tuples.max(1.0)))
}

/// `WITH (fillfactor = n)`: the only storage parameter that changes a
/// btree's size. 90 without it, as for a real btree.
///
/// # Safety
/// `options` is `NIL` or a list of `DefElem`s from the parser.
unsafe fn fillfactor(
    options: *mut pg_sys::List,
    invalid: &dyn Fn(String) -> HypoError,
) -> Result<u32, HypoError> {
    let mut ff = 90;
    // SAFETY: DefElems from the parser; defGetInt32 raises on a non-integer.
    unsafe {
        for def in list_ptrs::<pg_sys::DefElem>(options) {
            let name = cstr((*def).defname);
            if name != "fillfactor" {
                return Err(invalid(format!(
                    "storage parameter \"{name}\" is not supported"
                )));
            }
            let v = pg_sys::defGetInt32(def);
            if !(10..=100).contains(&v) {
                return Err(invalid(format!(
                    "fillfactor must be between 10 and 100, got {v}"
                )));
            }
            ff = v as u32;
        }
    }
    Ok(ff)
}

/// One key (`key == true`) or INCLUDE column.
///
/// # Safety
/// `elem` is an `IndexElem` from the parser; `relid` a locked table.
unsafe fn column(
    relid: pg_sys::Oid,
    table: &str,
    elem: *mut pg_sys::IndexElem,
    key: bool,
    what: &str,
) -> Result<HypoColumn, HypoError> {
    let invalid = |m: String| HypoError::InvalidArgument(format!("{what}: {m}"));
    // SAFETY: reads parser output and catalog values through lsyscache.
    unsafe {
        let e = &*elem;
        if !e.expr.is_null() || e.name.is_null() {
            return Err(invalid("expression indexes are not supported yet".into()));
        }
        let name = cstr(e.name);
        if !e.collation.is_null() {
            return Err(invalid(format!(
                "COLLATE on index column \"{name}\" is not supported yet"
            )));
        }
        if !e.opclass.is_null() {
            return Err(invalid(format!(
                "operator classes (on index column \"{name}\") are not supported yet"
            )));
        }
        if e.ordering == pg_sys::SortByDir::SORTBY_USING {
            return Err(invalid("ORDER USING is not supported".into()));
        }
        let attnum = pg_sys::get_attnum(relid, e.name);
        if attnum == 0 {
            return Err(HypoError::UndefinedColumn(format!(
                "{what}: column \"{name}\" does not exist in \"{table}\""
            )));
        }
        if attnum < 0 {
            return Err(invalid(format!(
                "system column \"{name}\" cannot be indexed"
            )));
        }
        let (mut typid, mut typmod, mut collation) = (pg_sys::InvalidOid, -1, pg_sys::InvalidOid);
        pg_sys::get_atttypetypmodcoll(relid, attnum, &mut typid, &mut typmod, &mut collation);
        let (mut opfamily, mut opcintype) = (pg_sys::InvalidOid, pg_sys::InvalidOid);
        if key {
            let opclass = pg_sys::GetDefaultOpClass(typid, pg_sys::BTREE_AM_OID);
            if opclass == pg_sys::InvalidOid {
                return Err(invalid(format!(
                    "column \"{name}\" has type {} with no default btree operator class",
                    cstr(pg_sys::format_type_be(typid))
                )));
            }
            opfamily = pg_sys::get_opclass_family(opclass);
            opcintype = pg_sys::get_opclass_input_type(opclass);
        }
        let mut width = pg_sys::get_attavgwidth(relid, attnum);
        if width <= 0 {
            width = pg_sys::get_typavgwidth(typid, typmod);
        }
        let (mut len, mut byval, mut align) = (0i16, false, 0 as std::ffi::c_char);
        pg_sys::get_typlenbyvalalign(typid, &mut len, &mut byval, &mut align);
        let descending = key && e.ordering == pg_sys::SortByDir::SORTBY_DESC;
        let nulls_first = key
            && match e.nulls_ordering {
                pg_sys::SortByNulls::SORTBY_NULLS_FIRST => true,
                pg_sys::SortByNulls::SORTBY_NULLS_LAST => false,
                _ => descending,
            };
        Ok(HypoColumn {
            name,
            attnum,
            typid,
            typmod,
            collation: if key { collation } else { pg_sys::InvalidOid },
            opfamily,
            opcintype,
            descending,
            nulls_first,
            width,
            align: align as u8,
        })
    }
}

/// The table's tuple estimate as the planner sees it now, and the
/// selectivity of `predicate` (implicit AND list, varno 1) on it, from a
/// one-table planner setup (as PostgreSQL's `plan_create_index_workers`
/// builds one).
///
/// # Safety
/// `relid` is a locked table; `predicate` is `NIL` or a list of clauses.
unsafe fn table_estimates(relid: pg_sys::Oid, predicate: *mut pg_sys::List) -> (f64, f64) {
    // SAFETY: nodes built with their tags in the current memory context;
    // the planner functions get the fields they read.
    unsafe {
        let query = make_node::<pg_sys::Query>(pg_sys::NodeTag::T_Query);
        (*query).commandType = pg_sys::CmdType::CMD_SELECT;
        let glob = make_node::<pg_sys::PlannerGlobal>(pg_sys::NodeTag::T_PlannerGlobal);
        let root = make_node::<pg_sys::PlannerInfo>(pg_sys::NodeTag::T_PlannerInfo);
        (*root).parse = query;
        (*root).glob = glob;
        (*root).query_level = 1;
        (*root).planner_cxt = pg_sys::CurrentMemoryContext;
        (*root).wt_param_id = -1;
        let rte = make_node::<pg_sys::RangeTblEntry>(pg_sys::NodeTag::T_RangeTblEntry);
        (*rte).rtekind = pg_sys::RTEKind::RTE_RELATION;
        (*rte).relid = relid;
        (*rte).relkind = pg_sys::get_rel_relkind(relid);
        (*rte).rellockmode = pg_sys::AccessShareLock as i32;
        (*rte).inh = false;
        (*rte).inFromCl = true;
        (*query).rtable = pg_sys::lappend(std::ptr::null_mut(), rte.cast());
        pg_sys::setup_simple_rel_arrays(root);
        let rel = pg_sys::build_simple_rel(root, 1, std::ptr::null_mut());
        let tuples = (*rel).tuples.max(0.0);
        let selectivity = if predicate.is_null() {
            1.0
        } else {
            pg_sys::clauselist_selectivity(
                root,
                predicate,
                1,
                pg_sys::JoinType::JOIN_INNER,
                std::ptr::null_mut(),
            )
            .clamp(0.0, 1.0)
        };
        (tuples, selectivity)
    }
}

/// PostgreSQL's default index name: `table_col1_col2_idx`, at most 63 bytes.
fn default_name<'a>(table: &str, cols: impl Iterator<Item = &'a HypoColumn>) -> String {
    let mut name = table.to_owned();
    for c in cols {
        name.push('_');
        name.push_str(&c.name);
    }
    name.push_str("_idx");
    if name.len() > 63 {
        let mut cut = 63;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    name
}
