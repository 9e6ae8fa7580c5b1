#[pgrx::pg_schema]
mod tests {}
