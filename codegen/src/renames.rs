//! Renames: a diff matches tables and columns by name, so without help a rename is a drop and
//! a create, and the data goes with the drop. Renames are never guessed: [`candidates`] lists
//! the drop/create pairs that could be one (for `migrate dev` to ask about), and the ones the
//! user confirms go to [`crate::diff::diff_with_renames`].

use orm_db_schema::{ColumnArity, DbSchema};

use crate::diff::Step;

/// A table or column of the old database that is the new one under another name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rename {
    Table {
        from: String,
        to: String,
    },
    /// `table` is the table's new name (after any table rename).
    Column {
        table: String,
        from: String,
        to: String,
    },
}

impl Rename {
    pub(crate) fn step(&self) -> Step {
        match self {
            Rename::Table { from, to } => Step::RenameTable { from: from.clone(), to: to.clone() },
            Rename::Column { table, from, to } => {
                Step::RenameColumn { table: table.clone(), from: from.clone(), to: to.clone() }
            }
        }
    }
}

impl std::fmt::Display for Rename {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rename::Table { from, to } => write!(f, "`{from}` to `{to}`"),
            Rename::Column { table, from, to } => write!(f, "`{table}.{from}` to `{table}.{to}`"),
        }
    }
}

/// `db` as it is once `renames` ran: tables and columns under their new names, with the
/// columns' keys and indexes following them. Constraint names are left as they were, so the
/// diff recreates those named after the old names; foreign keys from other tables into a
/// renamed table keep its old name, so they are recreated as well.
pub(crate) fn apply(db: &DbSchema, renames: &[Rename]) -> DbSchema {
    let mut db = db.clone();
    for rename in renames {
        match rename {
            Rename::Table { from, to } => {
                if let Some(table) = db.tables.iter_mut().find(|t| &t.name == from) {
                    table.name = to.clone();
                    table.unmanaged.iter_mut().for_each(|u| u.rename(from, to));
                    for fk in table.foreign_keys.iter_mut().filter(|fk| &fk.referenced_table == from) {
                        fk.referenced_table = to.clone();
                    }
                }
            }
            Rename::Column { table, from, to } => {
                let Some(t) = db.tables.iter_mut().find(|t| &t.name == table) else { continue };
                for column in t.columns.iter_mut().filter(|c| &c.name == from) {
                    column.name = to.clone();
                }
                if let Some(pk) = &mut t.primary_key {
                    pk.columns.iter_mut().filter(|c| &c.name == from).for_each(|c| c.name = to.clone());
                }
                for index in &mut t.indexes {
                    index.columns.iter_mut().filter(|c| &c.name == from).for_each(|c| c.name = to.clone());
                }
                for fk in &mut t.foreign_keys {
                    fk.columns.iter_mut().filter(|c| *c == from).for_each(|c| *c = to.clone());
                }
                t.unmanaged.iter_mut().for_each(|u| u.rename(from, to));
                for other in &mut db.tables {
                    for fk in other.foreign_keys.iter_mut().filter(|fk| &fk.referenced_table == table) {
                        fk.referenced_columns.iter_mut().filter(|c| *c == from).for_each(|c| *c = to.clone());
                    }
                }
            }
        }
    }
    db
}

/// The renames that undo `renames` (for `down.sql`), in the order they must run.
pub fn reversed(renames: &[Rename]) -> Vec<Rename> {
    let old_table = |name: &str| {
        renames
            .iter()
            .find_map(|r| match r {
                Rename::Table { from, to } if to == name => Some(from.clone()),
                _ => None,
            })
            .unwrap_or_else(|| name.to_owned())
    };
    let mut out: Vec<Rename> = renames
        .iter()
        .filter_map(|r| match r {
            Rename::Table { from, to } => Some(Rename::Table { from: to.clone(), to: from.clone() }),
            Rename::Column { .. } => None,
        })
        .collect();
    out.extend(renames.iter().filter_map(|r| match r {
        Rename::Column { table, from, to } => {
            Some(Rename::Column { table: old_table(table), from: to.clone(), to: from.clone() })
        }
        Rename::Table { .. } => None,
    }));
    out
}

/// The drop/create pairs of `steps` that could be renames: a dropped table and a created one
/// sharing a column name; a dropped column and an added one of the same type on one table
/// (a required column only from a required one: a rename must not make a migration fail).
pub fn candidates(steps: &[Step]) -> Vec<Rename> {
    let mut out = Vec::new();
    let created = steps.iter().filter_map(|s| match s {
        Step::CreateTable { table, .. } => Some(table),
        _ => None,
    });
    for new in created {
        for step in steps {
            if let Step::DropTable(old) = step
                && old.columns.iter().any(|c| new.column(&c.name).is_some())
            {
                out.push(Rename::Table { from: old.name.clone(), to: new.name.clone() });
            }
        }
    }
    for step in steps {
        let Step::AddColumn { table, column: added, .. } = step else { continue };
        for other in steps {
            if let Step::DropColumn { table: t, column: dropped } = other
                && t == table
                && dropped.ty == added.ty
                && dropped.native_type == added.native_type
                && (added.arity != ColumnArity::Required || dropped.arity == ColumnArity::Required)
            {
                out.push(Rename::Column { table: table.clone(), from: dropped.name.clone(), to: added.name.clone() });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use orm_db_schema::Dialect;

    use super::*;
    use crate::diff::{diff, diff_with_renames};
    use crate::render::render;

    fn db(text: &str) -> DbSchema {
        let checked = orm_schema::check_str(text);
        assert!(!checked.has_errors(), "{:?}", checked.sorted_diagnostics());
        crate::db_schema::from_schema_for(&checked.schema, Dialect::Postgres)
    }

    const BEFORE: &str = r#"
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int     @id
  name  String
  bio   String?
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"#;
    const AFTER: &str = r#"
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Person {
  id       Int     @id
  fullName String
  bio      String?
  posts    Post[]
}

model Post {
  id       Int    @id
  authorId Int
  author   Person @relation(fields: [authorId], references: [id])
}
"#;

    #[test]
    fn renames_are_offered_applied_and_undone() {
        let (before, after) = (db(BEFORE), db(AFTER));
        let plain = diff(&before, &after);
        assert_eq!(candidates(&plain), vec![Rename::Table { from: "User".into(), to: "Person".into() }]);

        let renames = vec![
            Rename::Table { from: "User".into(), to: "Person".into() },
            Rename::Column { table: "Person".into(), from: "name".into(), to: "fullName".into() },
        ];
        let steps = diff_with_renames(&before, &after, &renames);
        assert!(!steps.iter().any(|s| matches!(s, Step::DropTable(_) | Step::DropColumn { .. })), "{steps:#?}");
        let sql = render(&steps, Dialect::Postgres).unwrap();
        assert_eq!(sql[0], r#"ALTER TABLE "User" RENAME TO "Person""#);
        assert_eq!(sql[1], r#"ALTER TABLE "Person" RENAME COLUMN "name" TO "fullName""#);
        // What is left: the keys named after `User` get `Person`'s names.
        assert!(sql.iter().any(|s| s.contains(r#"DROP CONSTRAINT "User_pkey""#)), "{sql:#?}");
        assert!(sql.iter().any(|s| s.contains(r#"ADD CONSTRAINT "Person_pkey""#)), "{sql:#?}");

        // Once renamed, the database diffs clean, and the reverse renames take it back.
        let back = diff_with_renames(&after, &before, &reversed(&renames));
        let sql = render(&back, Dialect::Postgres).unwrap();
        assert_eq!(sql[0], r#"ALTER TABLE "Person" RENAME TO "User""#);
        assert_eq!(sql[1], r#"ALTER TABLE "User" RENAME COLUMN "fullName" TO "name""#);
        assert_eq!(render(&back, Dialect::Mysql).unwrap()[0], "RENAME TABLE `Person` TO `User`");
    }
}
