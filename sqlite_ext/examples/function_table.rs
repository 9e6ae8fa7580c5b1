//! Prints the core's function table as the SQLite extension registers it,
//! one tab-separated line per function, for `tests/sqlite` to compare with
//! `pragma function_list`. A build-time tool, not shipped:
//!
//! ```sh
//! cargo run --release -p sqlxos-sqlite --example function_table
//! ```
//!
//! Columns: SQL name, fewest arguments, most arguments, deterministic (0/1),
//! return kind, then one `name:kind` column per argument.

fn main() {
    for spec in sqlxos_core::functions::all() {
        let mut line = format!(
            "sqlxos_{}\t{}\t{}\t{}\t{:?}",
            spec.name,
            spec.required,
            spec.args.len(),
            u8::from(spec.deterministic),
            spec.returns
        );
        for a in spec.args {
            line.push_str(&format!("\t{}:{:?}", a.name, a.kind));
        }
        println!("{line}");
    }
}
