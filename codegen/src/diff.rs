//! `diff(from, to)`: the ordered steps that turn one [`DbSchema`] into another.
//!
//! A pure function of two values of the same type, dialect-neutral: whether a step becomes
//! one statement, several, or nothing (a foreign key SQLite already wrote inside `CREATE
//! TABLE`) is the renderer's business. Objects are matched by name; a rename is therefore a
//! drop and a create until rename hints exist. Every difference becomes a step, including the
//! ones no renderer handles yet (those fail to render, loudly, rather than vanish).

use orm_db_schema::{Column, DbEnum, DbSchema, ForeignKey, Index, PrimaryKey, Table};

/// One change. **The order of the variants is the order of execution**: [`diff`] sorts its
/// output by it (stably, so within a kind the schema's order is kept). Why this order:
///
/// 1. Foreign keys are dropped first: they pin the indexes, columns and tables dropped later
///    (MySQL refuses to drop an index a foreign key needs, PostgreSQL a referenced table).
/// 2. Indexes are dropped before the columns they cover, and before new ones reuse their names.
/// 3. Enums are created and altered before the tables and columns that use them.
/// 4. Tables are dropped once nothing points at them, then new tables are created.
/// 5. Columns are added, altered and dropped in tables that exist on both sides; the primary key
///    changes after its columns do.
/// 6. Enums are dropped once no column uses them.
/// 7. Indexes are created once their columns exist.
/// 8. Foreign keys come last: the tables, columns and unique indexes they reference exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
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
    CreateEnum(DbEnum),
    /// Values changed. Enums are matched by name.
    AlterEnum {
        from: DbEnum,
        to: DbEnum,
    },
    DropTable(Table),
    /// The table with its columns, primary key, indexes and foreign keys; `enums` are the ones
    /// its columns use (MySQL writes them inline). Its indexes and foreign keys also get
    /// their own steps with `new_table: true`, for dialects that write them separately.
    CreateTable {
        table: Table,
        enums: Vec<DbEnum>,
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
    },
    DropColumn {
        table: String,
        column: Column,
    },
    AlterPrimaryKey {
        table: String,
        from: Option<PrimaryKey>,
        to: Option<PrimaryKey>,
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

impl Step {
    /// The position of the variant in the execution order.
    fn rank(&self) -> u8 {
        match self {
            Step::DropForeignKey { .. } => 0,
            Step::DropIndex { .. } => 1,
            Step::CreateEnum(_) => 2,
            Step::AlterEnum { .. } => 3,
            Step::DropTable(_) => 4,
            Step::CreateTable { .. } => 5,
            Step::AddColumn { .. } => 6,
            Step::AlterColumn { .. } => 7,
            Step::DropColumn { .. } => 8,
            Step::AlterPrimaryKey { .. } => 9,
            Step::DropEnum(_) => 10,
            Step::CreateIndex { .. } => 11,
            Step::AddForeignKey { .. } => 12,
        }
    }

    /// A short name for the kind of step (the `-- CreateTable` comments of a migration script).
    pub fn kind(&self) -> &'static str {
        match self {
            Step::DropForeignKey { .. } => "DropForeignKey",
            Step::DropIndex { .. } => "DropIndex",
            Step::CreateEnum(_) => "CreateEnum",
            Step::AlterEnum { .. } => "AlterEnum",
            Step::DropTable(_) => "DropTable",
            Step::CreateTable { .. } => "CreateTable",
            Step::AddColumn { .. } | Step::AlterColumn { .. } | Step::DropColumn { .. } => "AlterTable",
            Step::AlterPrimaryKey { .. } => "AlterTable",
            Step::DropEnum(_) => "DropEnum",
            Step::CreateIndex { .. } => "CreateIndex",
            Step::AddForeignKey { .. } => "AddForeignKey",
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
            Some(old) => diff_table(to, old, new, &mut steps),
        }
    }
    steps.sort_by_key(Step::rank);
    steps
}

fn diff_enums(from: &DbSchema, to: &DbSchema, steps: &mut Vec<Step>) {
    for new in &to.enums {
        match from.enum_(&new.name) {
            None => steps.push(Step::CreateEnum(new.clone())),
            Some(old) if old.values != new.values => steps.push(Step::AlterEnum { from: old.clone(), to: new.clone() }),
            Some(_) => {}
        }
    }
    for old in &from.enums {
        if to.enum_(&old.name).is_none() {
            steps.push(Step::DropEnum(old.clone()));
        }
    }
}

/// The enum a column uses, if it is an enum column.
fn column_enum(schema: &DbSchema, column: &Column) -> Option<DbEnum> {
    match &column.ty {
        orm_db_schema::ColumnType::Enum(name) => schema.enum_(name).cloned(),
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

fn diff_table(to: &DbSchema, old: &Table, new: &Table, steps: &mut Vec<Step>) {
    let table = || new.name.clone();
    for fk in &old.foreign_keys {
        match new.foreign_keys.iter().find(|n| same_foreign_key(fk, n)) {
            Some(n) if n == fk => {}
            _ => steps.push(Step::DropForeignKey { table: table(), foreign_key: fk.clone(), table_dropped: false }),
        }
    }
    for fk in &new.foreign_keys {
        match old.foreign_keys.iter().find(|o| same_foreign_key(o, fk)) {
            Some(o) if o == fk => {}
            _ => steps.push(Step::AddForeignKey { table: table(), foreign_key: fk.clone(), new_table: false }),
        }
    }
    for index in &old.indexes {
        if new.index(&index.name) != Some(index) {
            steps.push(Step::DropIndex { table: table(), index: index.clone() });
        }
    }
    for index in &new.indexes {
        if old.index(&index.name) != Some(index) {
            steps.push(Step::CreateIndex { table: table(), index: index.clone(), new_table: false });
        }
    }
    for column in &new.columns {
        match old.column(&column.name) {
            None => {
                steps.push(Step::AddColumn { table: table(), column: column.clone(), enum_: column_enum(to, column) })
            }
            Some(o) if o != column => {
                steps.push(Step::AlterColumn { table: table(), from: o.clone(), to: column.clone() })
            }
            Some(_) => {}
        }
    }
    for column in &old.columns {
        if new.column(&column.name).is_none() {
            steps.push(Step::DropColumn { table: table(), column: column.clone() });
        }
    }
    if old.primary_key != new.primary_key {
        steps.push(Step::AlterPrimaryKey {
            table: table(),
            from: old.primary_key.clone(),
            to: new.primary_key.clone(),
        });
    }
}
