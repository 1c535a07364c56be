//! `diff(from, to)`: the ordered steps that turn one [`DbSchema`] into another.
//!
//! A pure function of two values of the same type, dialect-neutral: whether a step becomes
//! one statement, several, or nothing (a foreign key SQLite already wrote inside `CREATE
//! TABLE`) is the renderer's business. Objects are matched by name, so to `diff` a rename is a
//! drop and a create; renames the user confirmed (never guessed: see [`crate::renames`]) go
//! through [`diff_with_renames`]. Every difference becomes a step, and a step carries what
//! every dialect needs to run it (the columns that use an altered enum, both definitions of a
//! changed table for SQLite's rebuild), so rendering needs nothing else.

use orm_db_schema::{
    Column, ColumnArity, ColumnType, DbEnum, DbSchema, ForeignKey, Index, IndexColumn, IndexKind, PrimaryKey, Table,
    Unmanaged, UnmanagedKind,
};

/// One change. **The order of the variants is the order of execution**: [`diff`] sorts its
/// output by it (stably, so within a kind the schema's order is kept). Why this order:
///
/// 0. Renames (asked for, never guessed) come before anything else: every later step names
///    tables and columns by their new names.
/// 1. Foreign keys are dropped first: they pin the indexes, keys, columns and tables changed
///    later (MySQL refuses to drop an index a foreign key needs, PostgreSQL a referenced table
///    or unique index, neither lets a referenced column change type).
/// 2. Indexes and primary keys are dropped before the columns they cover change or go, and
///    before new ones reuse their names.
/// 3. Enums are created and altered before the tables and columns that use them.
/// 4. Tables are dropped once nothing points at them, then new tables are created, then
///    changed tables are redefined (SQLite) or altered column by column (the others).
/// 5. The primary key is added once its columns exist and have their final type.
/// 6. Enums are dropped once no column uses them.
/// 7. Indexes are created once their columns exist.
/// 8. Foreign keys come last: the tables, columns and unique indexes they reference exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    RenameTable {
        from: String,
        to: String,
    },
    /// `table` is the table's name once any [`Step::RenameTable`] ran.
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    DropForeignKey {
        table: String,
        foreign_key: ForeignKey,
        /// The table goes away in the same migration (SQLite then needs no statement).
        table_dropped: bool,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    DropPrimaryKey {
        table: String,
        primary_key: PrimaryKey,
    },
    CreateEnum(DbEnum),
    /// Values changed. Enums are matched by name.
    AlterEnum {
        from: DbEnum,
        to: DbEnum,
        /// Every column of the old database whose type is this enum (PostgreSQL moves them to
        /// the new type when values go away; MySQL rewrites each column's `ENUM(…)`).
        uses: Vec<EnumUse>,
    },
    DropTable(Table),
    /// The table with its columns, primary key, indexes and foreign keys; `enums` are the ones
    /// its columns use (MySQL writes them inline). Its indexes and foreign keys also get
    /// their own steps with `new_table: true`, for dialects that write them separately.
    CreateTable {
        table: Table,
        enums: Vec<DbEnum>,
    },
    /// Both definitions of a table that changes; emitted once per such table, next to its
    /// fine-grained steps. SQLite, whose `ALTER TABLE` cannot change a column, a key or a
    /// foreign key, rebuilds the table from it when it must (and then skips the table's other
    /// steps); dialects that alter tables in place write nothing for it.
    RedefineTable {
        from: Table,
        to: Table,
    },
    AddColumn {
        table: String,
        column: Column,
        /// The enum of an enum column (MySQL writes it inline).
        enum_: Option<DbEnum>,
    },
    /// Type, nullability or default changed.
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
        /// The enum of the new column, if it is an enum column (MySQL writes it inline).
        enum_: Option<DbEnum>,
    },
    DropColumn {
        table: String,
        column: Column,
    },
    AddPrimaryKey {
        table: String,
        primary_key: PrimaryKey,
    },
    DropEnum(DbEnum),
    CreateIndex {
        table: String,
        index: Index,
        /// Part of a `CreateTable` in the same migration (MySQL wrote it inline).
        new_table: bool,
    },
    AddForeignKey {
        table: String,
        foreign_key: ForeignKey,
        /// Part of a `CreateTable` in the same migration (SQLite wrote it inline).
        new_table: bool,
    },
}

/// A column that uses an altered enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumUse {
    pub table: String,
    /// The column before the migration.
    pub from: Column,
    /// The column after it, when it still has this enum's type (its default is restored after
    /// the type moves).
    pub to: Option<Column>,
}

impl Step {
    /// The position of the variant in the execution order.
    fn rank(&self) -> u8 {
        match self {
            Step::RenameTable { .. } => 0,
            Step::RenameColumn { .. } => 1,
            Step::DropForeignKey { .. } => 2,
            Step::DropIndex { .. } => 3,
            Step::DropPrimaryKey { .. } => 4,
            Step::CreateEnum(_) => 5,
            Step::AlterEnum { .. } => 6,
            Step::DropTable(_) => 7,
            Step::CreateTable { .. } => 8,
            Step::RedefineTable { .. } => 9,
            Step::AddColumn { .. } => 10,
            Step::AlterColumn { .. } => 11,
            Step::DropColumn { .. } => 12,
            Step::AddPrimaryKey { .. } => 13,
            Step::DropEnum(_) => 14,
            Step::CreateIndex { .. } => 15,
            Step::AddForeignKey { .. } => 16,
        }
    }

    /// A short name for the kind of step (the `-- CreateTable` comments of a migration script).
    pub fn kind(&self) -> &'static str {
        match self {
            Step::RenameTable { .. } => "RenameTable",
            Step::RenameColumn { .. } => "RenameColumn",
            Step::DropForeignKey { .. } => "DropForeignKey",
            Step::DropIndex { .. } => "DropIndex",
            Step::CreateEnum(_) => "CreateEnum",
            Step::AlterEnum { .. } => "AlterEnum",
            Step::DropTable(_) => "DropTable",
            Step::CreateTable { .. } => "CreateTable",
            Step::RedefineTable { .. } => "RedefineTables",
            Step::DropPrimaryKey { .. }
            | Step::AddColumn { .. }
            | Step::AlterColumn { .. }
            | Step::DropColumn { .. }
            | Step::AddPrimaryKey { .. } => "AlterTable",
            Step::DropEnum(_) => "DropEnum",
            Step::CreateIndex { .. } => "CreateIndex",
            Step::AddForeignKey { .. } => "AddForeignKey",
        }
    }

    /// One line saying what the step does, for people (`migrate diff`, drift reports).
    pub fn describe(&self) -> String {
        match self {
            Step::RenameTable { from, to } => format!("rename table `{from}` to `{to}`"),
            Step::RenameColumn { table, from, to } => format!("rename column `{table}.{from}` to `{to}`"),
            Step::DropForeignKey { table, foreign_key, .. } => format!(
                "drop foreign key `{}` on `{table}`",
                foreign_key.name.as_deref().unwrap_or(&foreign_key.columns.join(", "))
            ),
            Step::DropIndex { table, index } => format!("drop index `{}` on `{table}`", index.name),
            Step::DropPrimaryKey { table, .. } => format!("drop the primary key of `{table}`"),
            Step::CreateEnum(e) => format!("create enum `{}` ({})", e.name, e.values.join(", ")),
            Step::AlterEnum { from, to, .. } => {
                format!("change enum `{}` from ({}) to ({})", from.name, from.values.join(", "), to.values.join(", "))
            }
            Step::DropTable(t) => format!("drop table `{}`", t.name),
            Step::CreateTable { table, .. } => format!("create table `{}`", table.name),
            Step::RedefineTable { to, .. } => format!("rebuild table `{}` (SQLite)", to.name),
            Step::AddColumn { table, column, .. } => format!("add column `{table}.{}`", column.name),
            Step::AlterColumn { table, from, .. } => format!("change column `{table}.{}`", from.name),
            Step::DropColumn { table, column } => format!("drop column `{table}.{}`", column.name),
            Step::AddPrimaryKey { table, .. } => format!("add a primary key to `{table}`"),
            Step::DropEnum(e) => format!("drop enum `{}`", e.name),
            Step::CreateIndex { table, index, .. } => format!("create index `{}` on `{table}`", index.name),
            Step::AddForeignKey { table, foreign_key, .. } => format!(
                "add foreign key `{}` on `{table}` to `{}`",
                foreign_key.name.as_deref().unwrap_or(&foreign_key.columns.join(", ")),
                foreign_key.referenced_table
            ),
        }
    }

    /// The existing table this step changes (not for tables created or dropped whole).
    pub fn altered_table(&self) -> Option<&str> {
        match self {
            Step::DropForeignKey { table, table_dropped: false, .. }
            | Step::DropIndex { table, .. }
            | Step::DropPrimaryKey { table, .. }
            | Step::AddColumn { table, .. }
            | Step::AlterColumn { table, .. }
            | Step::DropColumn { table, .. }
            | Step::AddPrimaryKey { table, .. }
            | Step::CreateIndex { table, new_table: false, .. }
            | Step::AddForeignKey { table, new_table: false, .. } => Some(table),
            Step::RedefineTable { to, .. } => Some(&to.name),
            Step::RenameColumn { table, .. } => Some(table),
            _ => None,
        }
    }
}

/// The steps that turn `from` into `to`, in execution order. Empty when they are equal.
pub fn diff(from: &DbSchema, to: &DbSchema) -> Vec<Step> {
    let mut steps = Vec::new();
    diff_enums(from, to, &mut steps);
    for old in &from.tables {
        if to.table(&old.name).is_none() {
            for fk in &old.foreign_keys {
                steps.push(Step::DropForeignKey {
                    table: old.name.clone(),
                    foreign_key: fk.clone(),
                    table_dropped: true,
                });
            }
            steps.push(Step::DropTable(old.clone()));
        }
    }
    for new in &to.tables {
        match from.table(&new.name) {
            None => create_table(to, new, &mut steps),
            Some(old) => {
                let before = steps.len();
                diff_table(to, old, new, &mut steps);
                if steps.len() > before {
                    steps.push(Step::RedefineTable { from: old.clone(), to: new.clone() });
                }
            }
        }
    }
    recreate_pinned_foreign_keys(from, to, &mut steps);
    steps.sort_by_key(Step::rank);
    steps
}

/// [`diff`] where some tables and columns of `from` were renamed: the renames come first, and
/// the rest is the diff of `from` with the new names. Constraint names that held the old names
/// are recreated under the new ones (dropping no data); foreign keys into a renamed table are
/// recreated too, so each database re-checks them against the new name.
pub fn diff_with_renames(from: &DbSchema, to: &DbSchema, renames: &[crate::renames::Rename]) -> Vec<Step> {
    if renames.is_empty() {
        return diff(from, to);
    }
    let renamed = crate::renames::apply(from, renames);
    let mut steps: Vec<Step> = renames.iter().map(crate::renames::Rename::step).collect();
    steps.extend(diff(&renamed, to));
    steps.sort_by_key(Step::rank);
    steps
}

fn diff_enums(from: &DbSchema, to: &DbSchema, steps: &mut Vec<Step>) {
    for new in &to.enums {
        match from.enum_(&new.name) {
            None => steps.push(Step::CreateEnum(new.clone())),
            Some(old) if old.values != new.values => {
                steps.push(Step::AlterEnum { from: old.clone(), to: new.clone(), uses: enum_uses(from, to, &old.name) })
            }
            Some(_) => {}
        }
    }
    for old in &from.enums {
        if to.enum_(&old.name).is_none() {
            steps.push(Step::DropEnum(old.clone()));
        }
    }
}

fn enum_uses(from: &DbSchema, to: &DbSchema, name: &str) -> Vec<EnumUse> {
    let uses_enum = |c: &Column| matches!(&c.ty, ColumnType::Enum(e) if e == name);
    let mut uses = Vec::new();
    for table in &from.tables {
        for column in table.columns.iter().filter(|c| uses_enum(c)) {
            let after = to.table(&table.name).and_then(|t| t.column(&column.name)).filter(|c| uses_enum(c));
            uses.push(EnumUse { table: table.name.clone(), from: column.clone(), to: after.cloned() });
        }
    }
    uses
}

/// The enum a column uses, if it is an enum column.
fn column_enum(schema: &DbSchema, column: &Column) -> Option<DbEnum> {
    match &column.ty {
        ColumnType::Enum(name) => schema.enum_(name).cloned(),
        _ => None,
    }
}

fn create_table(to: &DbSchema, table: &Table, steps: &mut Vec<Step>) {
    let mut enums: Vec<DbEnum> = Vec::new();
    for e in table.columns.iter().filter_map(|c| column_enum(to, c)) {
        if !enums.contains(&e) {
            enums.push(e);
        }
    }
    steps.push(Step::CreateTable { table: table.clone(), enums });
    for index in &table.indexes {
        steps.push(Step::CreateIndex { table: table.name.clone(), index: index.clone(), new_table: true });
    }
    for fk in &table.foreign_keys {
        steps.push(Step::AddForeignKey { table: table.name.clone(), foreign_key: fk.clone(), new_table: true });
    }
}

/// Foreign keys are matched by constraint name; unnamed ones (SQLite can lose names) by
/// their columns and target.
fn same_foreign_key(a: &ForeignKey, b: &ForeignKey) -> bool {
    match (&a.name, &b.name) {
        (Some(x), Some(y)) => x == y,
        _ => a.columns == b.columns && a.referenced_table == b.referenced_table,
    }
}

/// The objects of `from` the schema can't describe that a SQLite rebuild into `to` makes
/// again: those that use no column `to` lacks.
pub(crate) fn kept_unmanaged<'t>(from: &'t Table, to: &Table) -> impl Iterator<Item = &'t Unmanaged> {
    let dropped: Vec<&str> =
        from.columns.iter().filter(|c| to.column(&c.name).is_none()).map(|c| c.name.as_str()).collect();
    from.unmanaged.iter().filter(move |u| !dropped.iter().any(|c| u.mentions(c)))
}

/// Whether two foreign keys define the same constraint. A key without a name (SQLite keeps
/// none unless one was written, as in databases Prisma 2 migrated) is not renamed for having
/// none: Prisma does not compare SQLite's key names either.
pub fn same_foreign_key_definition(a: &ForeignKey, b: &ForeignKey) -> bool {
    if a.name.is_none() || b.name.is_none() {
        let unnamed = |fk: &ForeignKey| ForeignKey { name: None, ..fk.clone() };
        unnamed(a) == unnamed(b)
    } else {
        a == b
    }
}

/// Whether two definitions of a column differ. A type `orm` does not know is compared without
/// regard to case, spacing, quotes and a schema qualifier: the schema has it as the user wrote
/// it (`"public".geography`), the catalog as the database prints it (`geography`).
fn column_changed(a: &Column, b: &Column) -> bool {
    if a.ty == ColumnType::Unsupported && b.ty == ColumnType::Unsupported {
        let squash = |t: &Option<String>| -> String {
            let plain: String = t
                .as_deref()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '"')
                .collect::<String>()
                .to_lowercase();
            let name_end = plain.find('(').unwrap_or(plain.len());
            match plain[..name_end].find('.') {
                Some(dot) => plain[dot + 1..].to_owned(),
                None => plain,
            }
        };
        return squash(&a.native_type) != squash(&b.native_type) || a.arity != b.arity || a.default != b.default;
    }
    a != b
}

/// Whether the values of a column must be converted (its type changes, not only its
/// nullability or default).
pub fn type_changed(a: &Column, b: &Column) -> bool {
    let list = |c: &Column| c.arity == ColumnArity::List;
    a.ty != b.ty || a.native_type != b.native_type || list(a) != list(b)
}

fn diff_table(to: &DbSchema, old: &Table, new: &Table, steps: &mut Vec<Step>) {
    let table = || new.name.clone();
    for fk in &old.foreign_keys {
        match new.foreign_keys.iter().find(|n| same_foreign_key(fk, n)) {
            Some(n) if same_foreign_key_definition(n, fk) => {}
            _ => steps.push(Step::DropForeignKey { table: table(), foreign_key: fk.clone(), table_dropped: false }),
        }
    }
    for fk in &new.foreign_keys {
        match old.foreign_keys.iter().find(|o| same_foreign_key(o, fk)) {
            Some(o) if same_foreign_key_definition(o, fk) => {}
            _ => steps.push(Step::AddForeignKey { table: table(), foreign_key: fk.clone(), new_table: false }),
        }
    }
    for index in &old.indexes {
        if new.index(&index.name) != Some(index) {
            steps.push(Step::DropIndex { table: table(), index: index.clone() });
        }
    }
    // An index the schema can't describe is left alone. One the schema also declares by name
    // (`@unique` kept while the migration made it partial, a common Prisma pattern) is taken
    // as that index, as Prisma takes it: neither dropped nor made again without its predicate.
    let unmanaged_index = |name: &str| old.unmanaged.iter().any(|u| u.kind == UnmanagedKind::Index && u.name == name);
    for index in &new.indexes {
        if old.index(&index.name) != Some(index) && !unmanaged_index(&index.name) {
            steps.push(Step::CreateIndex { table: table(), index: index.clone(), new_table: false });
        }
    }
    for column in &new.columns {
        match old.column(&column.name) {
            None => {
                steps.push(Step::AddColumn { table: table(), column: column.clone(), enum_: column_enum(to, column) })
            }
            Some(o) if column_changed(o, column) => steps.push(Step::AlterColumn {
                table: table(),
                from: o.clone(),
                to: column.clone(),
                enum_: column_enum(to, column),
            }),
            Some(_) => {}
        }
    }
    for column in &old.columns {
        if new.column(&column.name).is_none() {
            steps.push(Step::DropColumn { table: table(), column: column.clone() });
        }
    }
    if old.primary_key != new.primary_key {
        if let Some(pk) = &old.primary_key {
            steps.push(Step::DropPrimaryKey { table: table(), primary_key: pk.clone() });
        }
        if let Some(pk) = &new.primary_key {
            steps.push(Step::AddPrimaryKey { table: table(), primary_key: pk.clone() });
        }
    }
}

fn names(columns: &[IndexColumn]) -> Vec<&str> {
    columns.iter().map(|c| c.name.as_str()).collect()
}

/// A foreign key that stays the same is still dropped and added again around a change that it
/// pins: a column on either side changing type, or the index that serves it going away (on
/// its own table, an index led by its columns, which MySQL needs; on the referenced table, the
/// unique index or primary key over the referenced columns, which every database needs).
fn recreate_pinned_foreign_keys(from: &DbSchema, to: &DbSchema, steps: &mut Vec<Step>) {
    let retyped = |table: &str, column: &str| {
        steps.iter().any(|s| {
            matches!(s, Step::AlterColumn { table: t, from, to, .. }
                if t == table && from.name == column && type_changed(from, to))
        })
    };
    let dropped_indexes: Vec<(&str, &Index)> = steps
        .iter()
        .filter_map(|s| match s {
            Step::DropIndex { table, index } => Some((table.as_str(), index)),
            _ => None,
        })
        .collect();
    let dropped_keys: Vec<(&str, &PrimaryKey)> = steps
        .iter()
        .filter_map(|s| match s {
            Step::DropPrimaryKey { table, primary_key } => Some((table.as_str(), primary_key)),
            _ => None,
        })
        .collect();
    let mut extra = Vec::new();
    for new in &to.tables {
        let Some(old) = from.table(&new.name) else { continue };
        for fk in new.foreign_keys.iter().filter(|fk| old.foreign_keys.contains(fk)) {
            let leads = |names: Vec<&str>| {
                names.len() >= fk.columns.len() && names.iter().zip(&fk.columns).all(|(a, b)| a == b)
            };
            let same_set = |names: Vec<&str>| {
                names.len() == fk.referenced_columns.len()
                    && fk.referenced_columns.iter().all(|c| names.contains(&c.as_str()))
            };
            let pinned = fk.columns.iter().any(|c| retyped(&new.name, c))
                || fk.referenced_columns.iter().any(|c| retyped(&fk.referenced_table, c))
                || dropped_indexes.iter().any(|(table, index)| {
                    (*table == new.name && leads(names(&index.columns)))
                        || (*table == fk.referenced_table
                            && index.kind == IndexKind::Unique
                            && same_set(names(&index.columns)))
                })
                || dropped_keys.iter().any(|(table, pk)| {
                    (*table == new.name && leads(names(&pk.columns)))
                        || (*table == fk.referenced_table && same_set(names(&pk.columns)))
                });
            if pinned {
                let table = new.name.clone();
                extra.push(Step::DropForeignKey {
                    table: table.clone(),
                    foreign_key: fk.clone(),
                    table_dropped: false,
                });
                extra.push(Step::AddForeignKey { table, foreign_key: fk.clone(), new_table: false });
            }
        }
        let redefined = |s: &Step| matches!(s, Step::RedefineTable { to, .. } if to.name == new.name);
        let touched = extra.iter().any(|s| s.altered_table() == Some(new.name.as_str()));
        if touched && !steps.iter().chain(&extra).any(redefined) {
            extra.push(Step::RedefineTable { from: old.clone(), to: new.clone() });
        }
    }
    steps.extend(extra);
}
