//! Data-loss checks: what a migration's steps would do to the rows already there.
//!
//! Each [`Check`] is a counting query (identifiers quoted by the dialect, values bound) and
//! the sentence its number completes. The caller runs the queries on the database being
//! migrated and keeps the checks whose count is not zero: a [`Severity::Warning`] needs a yes
//! (`--accept-data-loss`), a [`Severity::Unexecutable`] step would fail on those rows and is
//! refused with advice.

use orm_db_schema::{Column, ColumnArity, Dialect, Index, IndexKind, UnmanagedKind};

use crate::diff::{Step, type_changed};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The step destroys data: it runs only once the user agrees.
    Warning,
    /// The step would fail on the rows there: the migration is refused.
    Unexecutable,
}

/// One check of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub severity: Severity,
    /// `SELECT COUNT(*) …`, with `?` / `$n` placeholders for [`Check::binds`].
    pub count_sql: String,
    pub binds: Vec<String>,
    /// The message, with `{n}` where the count goes.
    pub message: String,
    /// What to do instead, for unexecutable steps.
    pub help: Option<String>,
}

impl Check {
    /// The message with its count, `1,204` style.
    pub fn describe(&self, count: i64) -> String {
        self.message.replace("{n}", &thousands(count))
    }
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// The checks of `steps` on `dialect`.
pub fn checks(steps: &[Step], dialect: Dialect) -> Vec<Check> {
    let q = |name: &str| dialect.quote_identifier(name);
    let count = |table: &str, condition: &str| {
        let mut sql = format!("SELECT COUNT(*) FROM {}", q(table));
        if !condition.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(condition);
        }
        sql
    };
    let warning = |count_sql: String, message: String| Check {
        severity: Severity::Warning,
        count_sql,
        binds: Vec::new(),
        message,
        help: None,
    };
    let mut out = Vec::new();
    for step in steps {
        match step {
            Step::DropTable(table) => out.push(warning(
                count(&table.name, ""),
                format!("dropping table `{}`, which has {{n}} row(s)", table.name),
            )),
            // A rebuild makes again what the schema can't describe, but not what uses a column
            // that goes away: the hand-made index or trigger goes too.
            Step::RedefineTable { from, to } if dialect == Dialect::Sqlite => {
                let kept: Vec<&str> = crate::diff::kept_unmanaged(from, to).map(|u| u.name.as_str()).collect();
                for lost in from.unmanaged.iter().filter(|u| !kept.contains(&u.name.as_str())) {
                    let kind = match lost.kind {
                        UnmanagedKind::Index => "index",
                        UnmanagedKind::Trigger => "trigger",
                    };
                    out.push(Check {
                        severity: Severity::Warning,
                        count_sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = ?".to_owned(),
                        binds: vec![lost.name.clone()],
                        message: format!(
                            "dropping the {kind} `{}` of `{}`, made by hand, which uses a column that goes away",
                            lost.name, to.name
                        ),
                        help: None,
                    });
                }
            }
            Step::DropColumn { table, column } => out.push(warning(
                count(table, &format!("{} IS NOT NULL", q(&column.name))),
                format!("dropping column `{}` of `{table}`, which has {{n}} non-null value(s)", column.name),
            )),
            Step::AddColumn { table, column, .. } if needs_a_value(column) => out.push(Check {
                severity: Severity::Unexecutable,
                count_sql: count(table, ""),
                binds: Vec::new(),
                message: format!(
                    "adding the required column `{}` to `{table}` without a default, but the table has {{n}} row(s)",
                    column.name
                ),
                help: Some(format!(
                    "give `{}` a default (`@default(…)`), make it optional, or add it optional, fill it, then make it required in a second migration",
                    column.name
                )),
            }),
            Step::AlterColumn { table, from, to, .. } => {
                let column = q(&from.name);
                if type_changed(from, to) {
                    out.push(warning(
                        count(table, &format!("{column} IS NOT NULL")),
                        format!(
                            "changing the type of `{table}.{}` from {} to {}: {{n}} non-null value(s) will be cast, and the migration fails if one can't be",
                            from.name,
                            type_name(dialect, from),
                            type_name(dialect, to)
                        ),
                    ));
                }
                if from.arity == ColumnArity::Nullable && to.arity == ColumnArity::Required {
                    out.push(Check {
                        severity: Severity::Unexecutable,
                        count_sql: count(table, &format!("{column} IS NULL")),
                        binds: Vec::new(),
                        message: format!("making `{table}.{}` required, but {{n}} row(s) hold NULL there", from.name),
                        help: Some(format!(
                            "set a value in those rows first (`UPDATE \"{table}\" SET \"{}\" = … WHERE … IS NULL`), or keep the field optional",
                            from.name
                        )),
                    });
                }
            }
            Step::AlterEnum { from, to, uses } => {
                let removed: Vec<String> = from.values.iter().filter(|v| !to.values.contains(v)).cloned().collect();
                if removed.is_empty() {
                    continue;
                }
                for u in uses {
                    let column = match dialect {
                        Dialect::Postgres => format!("{}::text", q(&u.from.name)),
                        _ => q(&u.from.name),
                    };
                    let placeholders: Vec<String> = (1..=removed.len())
                        .map(|i| if dialect == Dialect::Postgres { format!("${i}") } else { "?".to_owned() })
                        .collect();
                    out.push(Check {
                        severity: Severity::Unexecutable,
                        count_sql: count(&u.table, &format!("{column} IN ({})", placeholders.join(", "))),
                        binds: removed.clone(),
                        message: format!(
                            "removing {} from enum `{}`, but {{n}} row(s) of `{}.{}` use them",
                            removed.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                            from.name,
                            u.table,
                            u.from.name
                        ),
                        help: Some("move those rows to a value that stays, then remove the values".to_owned()),
                    });
                }
            }
            Step::CreateIndex { table, index, new_table: false } if index.kind == IndexKind::Unique => {
                out.push(duplicates(dialect, table, index));
            }
            _ => {}
        }
    }
    out
}

/// A required column that existing rows have no value for.
fn needs_a_value(column: &Column) -> bool {
    column.arity == ColumnArity::Required && column.default.is_none() && !column.is_autoincrement()
}

fn duplicates(dialect: Dialect, table: &str, index: &Index) -> Check {
    let columns: Vec<String> = index.columns.iter().map(|c| dialect.quote_identifier(&c.name)).collect();
    let list = columns.join(", ");
    let not_null: Vec<String> = columns.iter().map(|c| format!("{c} IS NOT NULL")).collect();
    let names: Vec<&str> = index.columns.iter().map(|c| c.name.as_str()).collect();
    Check {
        severity: Severity::Unexecutable,
        count_sql: format!(
            "SELECT COUNT(*) FROM (SELECT {list} FROM {} WHERE {} GROUP BY {list} HAVING COUNT(*) > 1) {}",
            dialect.quote_identifier(table),
            not_null.join(" AND "),
            dialect.quote_identifier("duplicates")
        ),
        binds: Vec::new(),
        message: format!(
            "a unique constraint on `{table}({})`, but {{n}} value(s) appear more than once",
            names.join(", ")
        ),
        help: Some("remove or change the duplicated rows first".to_owned()),
    }
}

fn type_name(dialect: Dialect, c: &Column) -> String {
    c.native_type.clone().unwrap_or_else(|| crate::db_schema::family_type(dialect, &c.ty).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::diff;

    fn db(text: &str) -> orm_db_schema::DbSchema {
        let checked = orm_schema::check_str(text);
        assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
        crate::db_schema::from_schema_for(&checked.schema, Dialect::Postgres)
    }

    #[test]
    fn destructive_and_failing_steps_get_counting_queries() {
        let before = db(r#"
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Role {
  USER
  ADMIN
}

model User {
  id    Int     @id
  email String
  bio   String?
  age   Int?
  role  Role
}

model Old {
  id Int @id
}
"#);
        let after = db(r#"
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

enum Role {
  USER
}

model User {
  id    Int    @id
  email String @unique
  age   BigInt
  role  Role
  nick  String
}
"#);
        let checks = checks(&diff(&before, &after), Dialect::Postgres);
        let described: Vec<(Severity, String, &str)> =
            checks.iter().map(|c| (c.severity, c.describe(1204), c.count_sql.as_str())).collect();
        let expect = [
            (
                Severity::Unexecutable,
                "removing `ADMIN` from enum `Role`, but 1,204 row(s) of `User.role` use them",
                r#"SELECT COUNT(*) FROM "User" WHERE "role"::text IN ($1)"#,
            ),
            (Severity::Warning, "dropping table `Old`, which has 1,204 row(s)", r#"SELECT COUNT(*) FROM "Old""#),
            (
                Severity::Unexecutable,
                "adding the required column `nick` to `User` without a default, but the table has 1,204 row(s)",
                r#"SELECT COUNT(*) FROM "User""#,
            ),
        ];
        for (e, got) in expect.iter().zip(&described) {
            assert_eq!((e.0, e.1, e.2), (got.0, got.1.as_str(), got.2));
        }
        assert!(described.iter().any(|d| d.1.starts_with("changing the type of `User.age` from INTEGER to BIGINT")));
        assert!(described.iter().any(|d| d.1 == "making `User.age` required, but 1,204 row(s) hold NULL there"));
        assert!(described.iter().any(|d| d.1 == "dropping column `bio` of `User`, which has 1,204 non-null value(s)"));
        assert!(described.iter().any(|d| d.2.contains(r#"GROUP BY "email" HAVING COUNT(*) > 1"#)));
        assert_eq!(
            checks.iter().find(|c| !c.binds.is_empty()).map(|c| c.binds.clone()),
            Some(vec!["ADMIN".to_owned()])
        );
    }

    #[test]
    fn counts_read_like_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
