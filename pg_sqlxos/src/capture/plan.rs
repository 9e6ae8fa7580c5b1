//! What the advisor needs from an executed plan: the predicate columns with
//! their operator class (scan filters, index conditions, join conditions,
//! nested-loop parameters, the conditions and arguments of SubPlans, i.e.
//! correlated subqueries), sort keys and group keys, each resolved through
//! the plan's target lists to (relation OID, attribute number); and a
//! compact plan summary (node types, estimated vs actual rows).
//!
//! Only pointer reads of the plan trees, plus one cached syscache lookup per
//! operator (`get_opname`), done when the executor starts.

use std::cell::RefCell;
use std::collections::HashMap;

use pgrx::pg_sys::{self, NodeTag};

use super::shmem::{Kind, Op, PlanNode, Pred, MAX_PLAN_NODES, MAX_PREDS, NODE_NAME_LEN};

/// Deepest plan or expression nesting followed.
const MAX_DEPTH: u32 = 64;

thread_local! {
    static OP_CLASSES: RefCell<HashMap<u32, Op>> = RefCell::new(HashMap::new());
}

struct Ctx {
    rtable: *mut pg_sys::List,
    out: Vec<Pred>,
}

/// The predicate columns of an executed statement, deduplicated, at most
/// [`MAX_PREDS`].
///
/// # Safety
/// `stmt` is the valid `PlannedStmt` of a started executor.
pub unsafe fn predicates(stmt: *mut pg_sys::PlannedStmt) -> Vec<Pred> {
    // SAFETY: the caller gives a valid planned statement; every pointer read
    // below is of nodes it owns, checked for NULL and node tag first.
    unsafe {
        let mut ctx = Ctx {
            rtable: (*stmt).rtable,
            out: Vec::new(),
        };
        walk_plan(&mut ctx, (*stmt).planTree, 0);
        for p in list_ptrs::<pg_sys::Plan>((*stmt).subplans) {
            walk_plan(&mut ctx, p, 0);
        }
        ctx.out
    }
}

/// The elements of a pointer `List` (empty for NULL).
///
/// # Safety
/// `l` is NULL or a valid pointer list.
unsafe fn list_ptrs<T>(l: *mut pg_sys::List) -> Vec<*mut T> {
    if l.is_null() {
        return Vec::new();
    }
    // SAFETY: a valid List has `length` initialized cells.
    unsafe {
        (0..(*l).length as usize)
            .map(|i| (*(*l).elements.add(i)).ptr_value.cast::<T>())
            .collect()
    }
}

/// # Safety
/// `n` is NULL or a valid node.
unsafe fn tag(n: *const pg_sys::Node) -> Option<NodeTag> {
    // SAFETY: every node starts with its tag.
    unsafe { n.as_ref().map(|n| n.type_) }
}

fn push(ctx: &mut Ctx, relid: pg_sys::Oid, attnum: i16, op: Op, kind: Kind) {
    let p = Pred {
        relid,
        attnum,
        op,
        kind,
    };
    if ctx.out.len() < MAX_PREDS && !ctx.out.contains(&p) {
        ctx.out.push(p);
    }
}

/// # Safety
/// `plan` is NULL or a valid plan node of the statement.
unsafe fn walk_plan(ctx: &mut Ctx, plan: *mut pg_sys::Plan, depth: u32) {
    if plan.is_null() || depth > MAX_DEPTH {
        return;
    }
    // SAFETY: `plan` is a valid plan node; casts follow its tag.
    unsafe {
        let t = (*plan).type_;
        let qual_kind = match t {
            NodeTag::T_NestLoop | NodeTag::T_HashJoin | NodeTag::T_MergeJoin => Kind::Join,
            _ => Kind::Filter,
        };
        quals(ctx, plan, (*plan).qual, qual_kind, depth);
        match t {
            NodeTag::T_IndexScan => {
                let s = plan.cast::<pg_sys::IndexScan>();
                quals(ctx, plan, (*s).indexqualorig, Kind::Filter, depth);
            }
            NodeTag::T_IndexOnlyScan => {
                let s = plan.cast::<pg_sys::IndexOnlyScan>();
                quals(ctx, plan, (*s).indexqual, Kind::Filter, depth);
            }
            NodeTag::T_BitmapIndexScan => {
                let s = plan.cast::<pg_sys::BitmapIndexScan>();
                quals(ctx, plan, (*s).indexqualorig, Kind::Filter, depth);
            }
            NodeTag::T_NestLoop => {
                let j = plan.cast::<pg_sys::NestLoop>();
                quals(ctx, plan, (*j).join.joinqual, Kind::Join, depth);
                for p in list_ptrs::<pg_sys::NestLoopParam>((*j).nestParams) {
                    if let Some((r, a)) = resolve(ctx, plan, (*p).paramval, depth) {
                        push(ctx, r, a, Op::Eq, Kind::Join);
                    }
                }
            }
            NodeTag::T_HashJoin => {
                let j = plan.cast::<pg_sys::HashJoin>();
                quals(ctx, plan, (*j).join.joinqual, Kind::Join, depth);
                quals(ctx, plan, (*j).hashclauses, Kind::Join, depth);
            }
            NodeTag::T_MergeJoin => {
                let j = plan.cast::<pg_sys::MergeJoin>();
                quals(ctx, plan, (*j).join.joinqual, Kind::Join, depth);
                quals(ctx, plan, (*j).mergeclauses, Kind::Join, depth);
            }
            NodeTag::T_Sort | NodeTag::T_IncrementalSort => {
                // IncrementalSort starts with a Sort.
                let s = plan.cast::<pg_sys::Sort>();
                keys(
                    ctx,
                    plan,
                    plan,
                    (*s).numCols,
                    (*s).sortColIdx,
                    Kind::Sort,
                    depth,
                );
            }
            NodeTag::T_Agg => {
                let a = plan.cast::<pg_sys::Agg>();
                let input = (*plan).lefttree;
                keys(
                    ctx,
                    input,
                    input,
                    (*a).numCols,
                    (*a).grpColIdx,
                    Kind::Group,
                    depth,
                );
            }
            NodeTag::T_Group => {
                let g = plan.cast::<pg_sys::Group>();
                let input = (*plan).lefttree;
                keys(
                    ctx,
                    input,
                    input,
                    (*g).numCols,
                    (*g).grpColIdx,
                    Kind::Group,
                    depth,
                );
            }
            NodeTag::T_Append => {
                let a = plan.cast::<pg_sys::Append>();
                for p in list_ptrs::<pg_sys::Plan>((*a).appendplans) {
                    walk_plan(ctx, p, depth + 1);
                }
            }
            NodeTag::T_MergeAppend => {
                let a = plan.cast::<pg_sys::MergeAppend>();
                keys(
                    ctx,
                    plan,
                    plan,
                    (*a).numCols,
                    (*a).sortColIdx,
                    Kind::Sort,
                    depth,
                );
                for p in list_ptrs::<pg_sys::Plan>((*a).mergeplans) {
                    walk_plan(ctx, p, depth + 1);
                }
            }
            NodeTag::T_BitmapAnd => {
                let b = plan.cast::<pg_sys::BitmapAnd>();
                for p in list_ptrs::<pg_sys::Plan>((*b).bitmapplans) {
                    walk_plan(ctx, p, depth + 1);
                }
            }
            NodeTag::T_BitmapOr => {
                let b = plan.cast::<pg_sys::BitmapOr>();
                for p in list_ptrs::<pg_sys::Plan>((*b).bitmapplans) {
                    walk_plan(ctx, p, depth + 1);
                }
            }
            NodeTag::T_SubqueryScan => {
                let s = plan.cast::<pg_sys::SubqueryScan>();
                walk_plan(ctx, (*s).subplan, depth + 1);
            }
            _ => {}
        }
        walk_plan(ctx, (*plan).lefttree, depth + 1);
        walk_plan(ctx, (*plan).righttree, depth + 1);
    }
}

/// Sort or group keys: column numbers into the target list of `tl_plan`,
/// resolved in the context of that plan.
///
/// # Safety
/// Valid plan nodes; `cols` has `n` entries.
unsafe fn keys(
    ctx: &mut Ctx,
    tl_plan: *mut pg_sys::Plan,
    _at: *mut pg_sys::Plan,
    n: i32,
    cols: *mut pg_sys::AttrNumber,
    kind: Kind,
    depth: u32,
) {
    if tl_plan.is_null() || cols.is_null() {
        return;
    }
    // SAFETY: per the caller.
    unsafe {
        let tlist = list_ptrs::<pg_sys::TargetEntry>((*tl_plan).targetlist);
        for i in 0..n.max(0) as usize {
            let col = *cols.add(i) as usize;
            if col == 0 || col > tlist.len() {
                continue;
            }
            let expr = strip((*tlist[col - 1]).expr.cast());
            if tag(expr) == Some(NodeTag::T_Var) {
                if let Some((r, a)) = resolve(ctx, tl_plan, expr.cast(), depth) {
                    push(ctx, r, a, Op::Key, kind);
                }
            }
        }
    }
}

/// Strips binary-compatible casts.
///
/// # Safety
/// `n` is NULL or a valid expression node.
unsafe fn strip(mut n: *mut pg_sys::Node) -> *mut pg_sys::Node {
    // SAFETY: casts follow the node tag.
    unsafe {
        while tag(n) == Some(NodeTag::T_RelabelType) {
            n = (*n.cast::<pg_sys::RelabelType>()).arg.cast();
        }
    }
    n
}

/// # Safety
/// Valid plan node and expression list.
unsafe fn quals(
    ctx: &mut Ctx,
    plan: *mut pg_sys::Plan,
    l: *mut pg_sys::List,
    kind: Kind,
    depth: u32,
) {
    // SAFETY: per the caller.
    unsafe {
        for c in list_ptrs::<pg_sys::Node>(l) {
            clause(ctx, plan, c, kind, depth);
        }
    }
}

/// Whether `n` is a value computed elsewhere in the plan (an executor
/// parameter: nested-loop outer value or correlated outer column).
///
/// # Safety
/// `n` is NULL or a valid node.
unsafe fn is_exec_param(n: *mut pg_sys::Node) -> bool {
    // SAFETY: casts follow the node tag.
    unsafe {
        let n = strip(n);
        tag(n) == Some(NodeTag::T_Param)
            && (*n.cast::<pg_sys::Param>()).paramkind == pg_sys::ParamKind::PARAM_EXEC
    }
}

/// # Safety
/// Valid plan node and expression.
unsafe fn clause(
    ctx: &mut Ctx,
    plan: *mut pg_sys::Plan,
    n: *mut pg_sys::Node,
    kind: Kind,
    depth: u32,
) {
    if n.is_null() || depth > MAX_DEPTH {
        return;
    }
    // SAFETY: casts follow the node tag.
    unsafe {
        match (*n).type_ {
            NodeTag::T_OpExpr => {
                let e = n.cast::<pg_sys::OpExpr>();
                let op = op_class((*e).opno);
                let args = list_ptrs::<pg_sys::Node>((*e).args);
                let vars = args
                    .iter()
                    .filter(|&&a| tag(strip(a)) == Some(NodeTag::T_Var))
                    .count();
                let joined = vars == 2 || args.iter().any(|&a| is_exec_param(a));
                let kind = if joined && kind == Kind::Filter {
                    Kind::Join
                } else {
                    kind
                };
                for a in args {
                    operand(ctx, plan, a, op, kind, depth);
                }
            }
            NodeTag::T_ScalarArrayOpExpr => {
                let e = n.cast::<pg_sys::ScalarArrayOpExpr>();
                let op = match op_class((*e).opno) {
                    Op::Eq if (*e).useOr => Op::In,
                    _ => Op::Other,
                };
                for a in list_ptrs::<pg_sys::Node>((*e).args) {
                    operand(ctx, plan, a, op, kind, depth);
                }
            }
            NodeTag::T_NullTest => {
                let e = n.cast::<pg_sys::NullTest>();
                operand(ctx, plan, (*e).arg.cast(), Op::IsNull, kind, depth);
            }
            NodeTag::T_BoolExpr => {
                let e = n.cast::<pg_sys::BoolExpr>();
                for a in list_ptrs::<pg_sys::Node>((*e).args) {
                    clause(ctx, plan, a, kind, depth + 1);
                }
            }
            NodeTag::T_SubPlan => {
                let s = n.cast::<pg_sys::SubPlan>();
                // The outer columns passed into a correlated subquery.
                for a in list_ptrs::<pg_sys::Node>((*s).args) {
                    operand(ctx, plan, a, Op::Eq, Kind::Join, depth);
                }
                // `x IN (SELECT ...)`: the test against the subquery's output.
                clause(ctx, plan, (*s).testexpr, Kind::Join, depth + 1);
            }
            NodeTag::T_AlternativeSubPlan => {
                let s = n.cast::<pg_sys::AlternativeSubPlan>();
                for a in list_ptrs::<pg_sys::Node>((*s).subplans) {
                    clause(ctx, plan, a, kind, depth + 1);
                }
            }
            _ => operand(ctx, plan, n, Op::Other, kind, depth),
        }
    }
}

/// An operand of a predicate: a column gets `op`; a column inside an
/// expression (a function of it) gets `Other`; SubPlans are followed.
///
/// # Safety
/// Valid plan node and expression.
unsafe fn operand(
    ctx: &mut Ctx,
    plan: *mut pg_sys::Plan,
    n: *mut pg_sys::Node,
    op: Op,
    kind: Kind,
    depth: u32,
) {
    if depth > MAX_DEPTH {
        return;
    }
    // SAFETY: casts follow the node tag.
    unsafe {
        let n = strip(n);
        match tag(n) {
            Some(NodeTag::T_Var) => {
                if let Some((r, a)) = resolve(ctx, plan, n.cast(), depth) {
                    push(ctx, r, a, op, kind);
                }
            }
            Some(
                NodeTag::T_SubPlan
                | NodeTag::T_AlternativeSubPlan
                | NodeTag::T_OpExpr
                | NodeTag::T_BoolExpr,
            ) => clause(ctx, plan, n, kind, depth + 1),
            Some(NodeTag::T_FuncExpr) => {
                for a in list_ptrs::<pg_sys::Node>((*n.cast::<pg_sys::FuncExpr>()).args) {
                    operand(ctx, plan, a, Op::Other, kind, depth + 1);
                }
            }
            Some(NodeTag::T_CoerceViaIO) => operand(
                ctx,
                plan,
                (*n.cast::<pg_sys::CoerceViaIO>()).arg.cast(),
                Op::Other,
                kind,
                depth + 1,
            ),
            _ => {}
        }
    }
}

/// The child whose output `OUTER_VAR` refers to.
///
/// # Safety
/// `plan` is a valid plan node.
unsafe fn outer_child(plan: *mut pg_sys::Plan) -> *mut pg_sys::Plan {
    // SAFETY: casts follow the node tag.
    unsafe {
        match (*plan).type_ {
            NodeTag::T_Append => {
                list_ptrs::<pg_sys::Plan>((*plan.cast::<pg_sys::Append>()).appendplans)
                    .first()
                    .copied()
                    .unwrap_or(std::ptr::null_mut())
            }
            NodeTag::T_MergeAppend => {
                list_ptrs::<pg_sys::Plan>((*plan.cast::<pg_sys::MergeAppend>()).mergeplans)
                    .first()
                    .copied()
                    .unwrap_or(std::ptr::null_mut())
            }
            _ => (*plan).lefttree,
        }
    }
}

/// The expression of entry `attno` (1-based) of a target list.
///
/// # Safety
/// `l` is NULL or a valid target list.
unsafe fn tlist_expr(l: *mut pg_sys::List, attno: i16) -> *mut pg_sys::Node {
    // SAFETY: per the caller.
    unsafe {
        let tl = list_ptrs::<pg_sys::TargetEntry>(l);
        match usize::try_from(attno) {
            Ok(a) if a >= 1 && a <= tl.len() => strip((*tl[a - 1]).expr.cast()),
            _ => std::ptr::null_mut(),
        }
    }
}

/// Follows a Var through the target lists down to a base relation column.
///
/// # Safety
/// `plan` is the valid plan node the Var appears in; `var` a valid Var.
unsafe fn resolve(
    ctx: &Ctx,
    plan: *mut pg_sys::Plan,
    var: *mut pg_sys::Var,
    depth: u32,
) -> Option<(pg_sys::Oid, i16)> {
    if plan.is_null() || var.is_null() || depth > MAX_DEPTH {
        return None;
    }
    // SAFETY: casts follow the node tags; list indexes are bounds-checked.
    unsafe {
        let v = &*var;
        if v.varlevelsup != 0 {
            return None;
        }
        let (child, expr) = match v.varno {
            pg_sys::OUTER_VAR => {
                let c = outer_child(plan);
                if c.is_null() {
                    return None;
                }
                (c, tlist_expr((*c).targetlist, v.varattno))
            }
            pg_sys::INNER_VAR => {
                let c = (*plan).righttree;
                if c.is_null() {
                    return None;
                }
                (c, tlist_expr((*c).targetlist, v.varattno))
            }
            pg_sys::INDEX_VAR => {
                if (*plan).type_ != NodeTag::T_IndexOnlyScan {
                    return None;
                }
                let s = plan.cast::<pg_sys::IndexOnlyScan>();
                (plan, tlist_expr((*s).indextlist, v.varattno))
            }
            n if n > 0 => {
                let rt = ctx.rtable;
                if rt.is_null() || n > (*rt).length {
                    return None;
                }
                let rte = list_ptrs::<pg_sys::RangeTblEntry>(rt)[n as usize - 1];
                match (*rte).rtekind {
                    pg_sys::RTEKind::RTE_RELATION if v.varattno > 0 => {
                        return Some(((*rte).relid, v.varattno));
                    }
                    pg_sys::RTEKind::RTE_SUBQUERY if (*plan).type_ == NodeTag::T_SubqueryScan => {
                        let s = plan.cast::<pg_sys::SubqueryScan>();
                        if (*s).scan.scanrelid as i32 != n || (*s).subplan.is_null() {
                            return None;
                        }
                        let c = (*s).subplan;
                        (c, tlist_expr((*c).targetlist, v.varattno))
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
        if tag(expr) == Some(NodeTag::T_Var) {
            // An INDEX_VAR resolves to a scan Var of the same node.
            resolve(ctx, child, expr.cast(), depth + 1)
        } else {
            None
        }
    }
}

/// The operator class of operator `opno`, by its name (cached per backend).
fn op_class(opno: pg_sys::Oid) -> Op {
    let key = opno.to_u32();
    if let Some(op) = OP_CLASSES.with(|m| m.borrow().get(&key).copied()) {
        return op;
    }
    // SAFETY: a syscache lookup; returns NULL for an unknown operator.
    let name = unsafe {
        let p = pg_sys::get_opname(opno);
        if p.is_null() {
            String::new()
        } else {
            let s = std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned();
            pg_sys::pfree(p.cast());
            s
        }
    };
    let op = match name.as_str() {
        "=" => Op::Eq,
        "<" | ">" | "<=" | ">=" => Op::Range,
        "~~" | "~~*" => Op::Like,
        _ => Op::Other,
    };
    OP_CLASSES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(key, op);
    });
    op
}

/// The top [`MAX_PLAN_NODES`] nodes of the executed plan, pre-order, with
/// the planner's and the measured rows per loop.
///
/// # Safety
/// `ps` is NULL or the valid plan state tree of a running or finished
/// executor. Only reads.
pub unsafe fn summary(ps: *mut pg_sys::PlanState) -> Vec<PlanNode> {
    let mut out = Vec::new();
    // SAFETY: per the caller.
    unsafe { summarize(ps, 0, &mut out) };
    out
}

/// # Safety
/// As [`summary`].
unsafe fn summarize(ps: *mut pg_sys::PlanState, depth: u8, out: &mut Vec<PlanNode>) {
    if ps.is_null() || out.len() >= MAX_PLAN_NODES || depth as u32 > MAX_DEPTH {
        return;
    }
    // SAFETY: per the caller; the instrumentation, when present, is a
    // plain struct we only read.
    unsafe {
        let plan = (*ps).plan;
        if plan.is_null() {
            return;
        }
        let (actual_rows, loops) = match (*ps).instrument.as_ref() {
            Some(i) => {
                // InstrEndLoop has not run yet for the last loop.
                let open = i.running || i.tuplecount > 0.0;
                let loops = i.nloops + if open { 1.0 } else { 0.0 };
                let rows = i.ntuples + i.tuplecount;
                (if loops > 0.0 { rows / loops } else { 0.0 }, loops)
            }
            None => (-1.0, 0.0),
        };
        let mut name = [0u8; NODE_NAME_LEN];
        let full = format!("{:?}", (*plan).type_);
        let short = full.strip_prefix("T_").unwrap_or(&full).as_bytes();
        let n = short.len().min(NODE_NAME_LEN);
        name[..n].copy_from_slice(&short[..n]);
        out.push(PlanNode {
            name,
            depth,
            est_rows: (*plan).plan_rows,
            actual_rows,
            loops,
        });
        summarize((*ps).lefttree, depth.saturating_add(1), out);
        summarize((*ps).righttree, depth.saturating_add(1), out);
    }
}
