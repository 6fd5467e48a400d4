//! The two migration folders must build the same schema: a fresh SQLite
//! database and a fresh PostgreSQL schema are migrated, each is read back
//! from its catalogue (tables, columns with nullability and a type family,
//! primary keys, foreign keys, unique and check constraints, indexes), and
//! the two descriptions must be equal. A failure prints the lines only one
//! side has.

use crate::support::{Backend, fresh_store};
use sqlx::{PgConnection, SqliteConnection};
use std::collections::BTreeSet;

/// Columns, referenced table, referenced columns, ON DELETE action.
type ForeignKey = (Vec<String>, String, Vec<String>, String);
/// `pg_constraint`: kind, columns, referenced table and columns, ON DELETE code.
type ConstraintRow = (String, Vec<String>, Option<String>, Vec<String>, String);

/// SQLite's declared type, as a family both dialects can be compared in.
fn sqlite_family(declared: &str) -> String {
    match declared.to_ascii_uppercase().as_str() {
        // sqlx stores a Uuid as a 16-byte BLOB in SQLite, so there a UUID
        // column and a bytes column look alike: both are "binary".
        "BLOB" => "binary".into(),
        "TEXT" => "text".into(),
        // SQLite integers are 64-bit, like PostgreSQL's BIGINT.
        "INTEGER" => "integer".into(),
        "BOOLEAN" => "boolean".into(),
        other => format!("sqlite:{other}"),
    }
}

/// PostgreSQL's `information_schema` type, in the same families.
fn postgres_family(data_type: &str) -> String {
    match data_type {
        "uuid" | "bytea" => "binary".into(),
        "text" => "text".into(),
        // Only BIGINT matches SQLite's INTEGER (and decodes as i64); a
        // 32-bit INTEGER shows up as a difference.
        "bigint" => "integer".into(),
        "boolean" => "boolean".into(),
        other => format!("postgres:{other}"),
    }
}

fn postgres_on_delete(code: &str) -> &'static str {
    match code {
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        "r" => "RESTRICT",
        _ => "NO ACTION",
    }
}

async fn describe_sqlite(conn: &mut SqliteConnection) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .expect("SQLite tables");
    for (table, sql) in tables {
        lines.insert(format!("table {table}"));
        let columns: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
                .bind(&table)
                .fetch_all(&mut *conn)
                .await
                .expect("SQLite columns");
        let mut pk: Vec<(i64, String)> = Vec::new();
        for (name, declared, notnull, in_pk) in columns {
            let null = if notnull == 1 { "not null" } else { "null" };
            lines.insert(format!(
                "column {table}.{name} {} {null}",
                sqlite_family(&declared)
            ));
            if in_pk > 0 {
                pk.push((in_pk, name));
            }
        }
        pk.sort();
        let pk: Vec<String> = pk.into_iter().map(|(_, n)| n).collect();
        lines.insert(format!("primary key {table} ({})", pk.join(", ")));

        let indexes: Vec<(String, i64, String, i64)> =
            sqlx::query_as("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
                .bind(&table)
                .fetch_all(&mut *conn)
                .await
                .expect("SQLite indexes");
        for (index, unique, origin, partial) in indexes {
            let cols: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(&mut *conn)
                    .await
                    .expect("SQLite index columns");
            match origin.as_str() {
                // The index SQLite makes for a primary key is the key itself.
                "pk" => {}
                // SQLite names a UNIQUE constraint's index itself
                // (sqlite_autoindex_*): constraints compare by columns.
                "u" => {
                    lines.insert(format!("unique {table} ({})", cols.join(", ")));
                }
                _ => {
                    lines.insert(format!(
                        "index {index} on {table} ({}){}{}",
                        cols.join(", "),
                        if unique == 1 { " unique" } else { "" },
                        if partial == 1 { " partial" } else { "" },
                    ));
                }
            }
        }

        let fks: Vec<(i64, i64, String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_delete \
             FROM pragma_foreign_key_list($1) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .expect("SQLite foreign keys");
        let mut grouped: Vec<(i64, ForeignKey)> = Vec::new();
        for (id, _, target, from, to, on_delete) in fks {
            let to = to.unwrap_or_default();
            match grouped.last_mut() {
                Some((last, fk)) if *last == id => {
                    fk.0.push(from);
                    fk.2.push(to);
                }
                _ => grouped.push((id, (vec![from], target, vec![to], on_delete))),
            }
        }
        for (_, (from, target, to, on_delete)) in grouped {
            lines.insert(format!(
                "foreign key {table} ({}) -> {target} ({}) on delete {on_delete}",
                from.join(", "),
                to.join(", ")
            ));
        }
        // SQLite keeps CHECK constraints only in the table's SQL text.
        let checks = sql.to_ascii_uppercase().matches("CHECK").count();
        lines.insert(format!("checks {table} {checks}"));
    }
    lines
}

async fn describe_postgres(conn: &mut PgConnection, schema: &str) -> BTreeSet<String> {
    let mut lines = BTreeSet::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1 \
         AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations' ORDER BY 1",
    )
    .bind(schema)
    .fetch_all(&mut *conn)
    .await
    .expect("PostgreSQL tables");
    for table in tables {
        lines.insert(format!("table {table}"));
        let columns: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT column_name::text, data_type::text, is_nullable::text \
             FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2",
        )
        .bind(schema)
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .expect("PostgreSQL columns");
        for (name, data_type, nullable) in columns {
            let null = if nullable == "NO" { "not null" } else { "null" };
            lines.insert(format!(
                "column {table}.{name} {} {null}",
                postgres_family(&data_type)
            ));
        }

        let constraints: Vec<ConstraintRow> =
            sqlx::query_as(
                "SELECT con.contype::text, \
                 ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o) \
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o), \
                 confrel.relname::text, \
                 ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o) \
                       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o), \
                 con.confdeltype::text \
                 FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid \
                 JOIN pg_namespace ns ON ns.oid = rel.relnamespace \
                 LEFT JOIN pg_class confrel ON confrel.oid = con.confrelid \
                 WHERE ns.nspname = $1 AND rel.relname = $2",
            )
            .bind(schema)
            .bind(&table)
            .fetch_all(&mut *conn)
            .await
            .expect("PostgreSQL constraints");
        let mut checks = 0;
        for (kind, cols, target, target_cols, on_delete) in constraints {
            match kind.as_str() {
                "p" => {
                    lines.insert(format!("primary key {table} ({})", cols.join(", ")));
                }
                "u" => {
                    lines.insert(format!("unique {table} ({})", cols.join(", ")));
                }
                "f" => {
                    lines.insert(format!(
                        "foreign key {table} ({}) -> {} ({}) on delete {}",
                        cols.join(", "),
                        target.unwrap_or_default(),
                        target_cols.join(", "),
                        postgres_on_delete(&on_delete)
                    ));
                }
                "c" => checks += 1,
                // PostgreSQL 18 records NOT NULL as constraints too; the
                // columns' nullability above already covers them.
                _ => {}
            }
        }
        lines.insert(format!("checks {table} {checks}"));

        let indexes: Vec<(String, bool, bool, Vec<String>)> = sqlx::query_as(
            "SELECT i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
             ARRAY(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o) \
                   JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n ORDER BY k.o) \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
             JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace \
             WHERE ns.nspname = $1 AND t.relname = $2 AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
               WHERE c.conindid = ix.indexrelid AND c.conrelid = ix.indrelid AND c.contype IN ('p', 'u'))",
        )
        .bind(schema)
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .expect("PostgreSQL indexes");
        for (index, unique, partial, cols) in indexes {
            lines.insert(format!(
                "index {index} on {table} ({}){}{}",
                cols.join(", "),
                if unique { " unique" } else { "" },
                if partial { " partial" } else { "" },
            ));
        }
    }
    lines
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let sqlite_db = fresh_store(Backend::Sqlite).await;
    let postgres_db = fresh_store(Backend::Postgres).await;
    let sqlite = describe_sqlite(&mut sqlite_db.sqlite_connection().await).await;
    let (mut pg, schema) = postgres_db.postgres_connection().await;
    let postgres = describe_postgres(&mut pg, &schema).await;
    assert!(
        sqlite.iter().any(|l| l == "table users"),
        "the SQLite schema was read: {sqlite:#?}"
    );
    if sqlite != postgres {
        let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
        let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
        panic!(
            "the migrations differ.\nonly in SQLite:\n  {}\nonly in PostgreSQL:\n  {}",
            only_sqlite
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n  "),
            only_postgres
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n  "),
        );
    }
}
