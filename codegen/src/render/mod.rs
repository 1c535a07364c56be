//! Steps → SQL, one renderer per dialect with one method per step kind.
//!
//! Identifiers only ever pass through [`Dialect::push_identifier`], literal defaults through
//! [`Dialect::push_string_literal`]; nothing else reaches the SQL text except numbers checked to
//! be numbers, keywords, and `dbgenerated("…")` expressions (the user's own SQL). A step a
//! dialect cannot run is a [`RenderError`], never silently dropped.
//!
//! A migration goes both ways: [`render_script`] writes `migration.sql` for `diff(from, to)`,
//! [`render_down`] the `down.sql` that takes the database back (the reverse diff, rendered).

mod mysql;
mod postgres;
mod sqlite;

use std::fmt;

use orm_db_schema::{
    Column, ColumnDefault, ColumnType, DbEnum, DbSchema, DefaultValue, Dialect, ForeignKey, Index, IndexColumn,
    PrimaryKey, SortOrder, Table,
};

use crate::diff::{EnumUse, Step, diff};

/// Why a step could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// A constraint without a name cannot be dropped by name (PostgreSQL, MySQL).
    UnnamedConstraint { table: String, constraint: &'static str },
    /// SQLite must rebuild the table for this step, and the steps carry no
    /// [`Step::RedefineTable`] for it (they were not made by [`diff`]).
    MissingTableDefinition { table: String, step: &'static str },
    /// An enum column whose enum is not in the schema.
    UnknownEnum { table: String, column: String, name: String },
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::UnnamedConstraint { table, constraint } => {
                write!(f, "the {constraint} of table `{table}` has no name, so it cannot be dropped")
            }
            RenderError::MissingTableDefinition { table, step } => write!(
                f,
                "SQLite must rebuild table `{table}` for a {step} step, but the steps do not define the table"
            ),
            RenderError::UnknownEnum { table, column, name } => {
                write!(f, "column `{table}.{column}` uses the enum `{name}`, which the schema does not define")
            }
        }
    }
}

impl std::error::Error for RenderError {}

/// One method per step kind. Each returns the statements (without a trailing `;`) for its step;
/// none for a step another one already covered.
trait Renderer {
    fn dialect(&self) -> Dialect;
    fn rename_table(&self, from: &str, to: &str) -> Vec<String> {
        let sql = Sql(self.dialect());
        vec![format!("ALTER TABLE {} RENAME TO {}", sql.ident(from), sql.ident(to))]
    }
    /// Whether another step (SQLite's table rebuild) already does what `step` does.
    fn covered(&self, _step: &Step) -> bool {
        false
    }
    fn create_enum(&self, e: &DbEnum) -> Vec<String>;
    fn alter_enum(&self, from: &DbEnum, to: &DbEnum, uses: &[EnumUse]) -> Result<Vec<String>, RenderError>;
    fn drop_enum(&self, e: &DbEnum) -> Vec<String>;
    fn create_table(&self, table: &Table, enums: &[DbEnum]) -> Result<Vec<String>, RenderError>;
    fn redefine_table(&self, _from: &Table, _to: &Table) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }
    fn drop_table(&self, table: &Table) -> Vec<String>;
    fn add_column(&self, table: &str, column: &Column, enum_: Option<&DbEnum>) -> Result<Vec<String>, RenderError>;
    fn alter_column(
        &self,
        table: &str,
        from: &Column,
        to: &Column,
        enum_: Option<&DbEnum>,
    ) -> Result<Vec<String>, RenderError>;
    fn drop_column(&self, table: &str, column: &Column) -> Vec<String>;
    fn add_primary_key(&self, table: &str, pk: &PrimaryKey) -> Result<Vec<String>, RenderError>;
    fn drop_primary_key(&self, table: &str, pk: &PrimaryKey) -> Result<Vec<String>, RenderError>;
    fn create_index(&self, table: &str, index: &Index, new_table: bool) -> Vec<String>;
    fn drop_index(&self, table: &str, index: &Index) -> Vec<String>;
    fn add_foreign_key(&self, table: &str, fk: &ForeignKey, new_table: bool) -> Result<Vec<String>, RenderError>;
    fn drop_foreign_key(&self, table: &str, fk: &ForeignKey, table_dropped: bool) -> Result<Vec<String>, RenderError>;
}

/// The renderer of `dialect` for this list of steps (SQLite plans its table rebuilds from it).
fn renderer(dialect: Dialect, steps: &[Step]) -> Box<dyn Renderer> {
    match dialect {
        Dialect::Sqlite => Box::new(sqlite::SqliteRenderer::new(steps)),
        Dialect::Postgres => Box::new(postgres::PostgresRenderer),
        Dialect::Mysql => Box::new(mysql::MysqlRenderer),
    }
}

fn render_step(r: &dyn Renderer, step: &Step) -> Result<Vec<String>, RenderError> {
    if r.covered(step) {
        return Ok(Vec::new());
    }
    Ok(match step {
        Step::RenameTable { from, to } => r.rename_table(from, to),
        Step::RenameColumn { table, from, to } => {
            let sql = Sql(r.dialect());
            vec![format!("ALTER TABLE {} RENAME COLUMN {} TO {}", sql.ident(table), sql.ident(from), sql.ident(to))]
        }
        Step::DropForeignKey { table, foreign_key, table_dropped } => {
            r.drop_foreign_key(table, foreign_key, *table_dropped)?
        }
        Step::DropIndex { table, index } => r.drop_index(table, index),
        Step::DropPrimaryKey { table, primary_key } => r.drop_primary_key(table, primary_key)?,
        Step::CreateEnum(e) => r.create_enum(e),
        Step::AlterEnum { from, to, uses } => r.alter_enum(from, to, uses)?,
        Step::DropTable(table) => r.drop_table(table),
        Step::CreateTable { table, enums } => r.create_table(table, enums)?,
        Step::RedefineTable { from, to } => r.redefine_table(from, to)?,
        Step::AddColumn { table, column, enum_ } => r.add_column(table, column, enum_.as_ref())?,
        Step::AlterColumn { table, from, to, enum_ } => r.alter_column(table, from, to, enum_.as_ref())?,
        Step::DropColumn { table, column } => r.drop_column(table, column),
        Step::AddPrimaryKey { table, primary_key } => r.add_primary_key(table, primary_key)?,
        Step::DropEnum(e) => r.drop_enum(e),
        Step::CreateIndex { table, index, new_table } => r.create_index(table, index, *new_table),
        Step::AddForeignKey { table, foreign_key, new_table } => r.add_foreign_key(table, foreign_key, *new_table)?,
    })
}

/// The SQL statements of `steps` for `dialect`, in order, without trailing semicolons.
pub fn render(steps: &[Step], dialect: Dialect) -> Result<Vec<String>, RenderError> {
    let r = renderer(dialect, steps);
    let mut out = Vec::new();
    for step in steps {
        out.extend(render_step(r.as_ref(), step)?);
    }
    Ok(out)
}

/// A `migration.sql` as Prisma writes it: each step's statements under a `-- Kind` comment,
/// separated by blank lines.
pub fn render_script(steps: &[Step], dialect: Dialect) -> Result<String, RenderError> {
    let r = renderer(dialect, steps);
    let mut blocks = Vec::new();
    for step in steps {
        let statements = render_step(r.as_ref(), step)?;
        if statements.is_empty() {
            continue;
        }
        let mut block = format!("-- {}\n", step.kind());
        for s in statements {
            block.push_str(&s);
            block.push_str(";\n");
        }
        blocks.push(block);
    }
    Ok(blocks.join("\n"))
}

/// The `down.sql` of the migration from `from` to `to`: the script that takes a database the
/// migration produced back to `from` (the reverse diff, rendered). Data in columns and tables
/// the migration added is lost, as in any drop.
pub fn render_down(from: &DbSchema, to: &DbSchema, dialect: Dialect) -> Result<String, RenderError> {
    render_script(&diff(to, from), dialect)
}

/// [`render_down`] of a migration that renamed: the reverse renames come first.
pub fn render_down_with_renames(
    from: &DbSchema,
    to: &DbSchema,
    renames: &[crate::renames::Rename],
    dialect: Dialect,
) -> Result<String, RenderError> {
    let back = crate::renames::reversed(renames);
    // What the schema can't describe (partial indexes, triggers) is still on the tables after
    // the migration: a rebuild on the way down must make it again too.
    let mut after = to.clone();
    for table in &mut after.tables {
        if let Some(before) = from.table(&table.name) {
            table.unmanaged.clone_from(&before.unmanaged);
        }
    }
    render_script(&crate::diff::diff_with_renames(&after, from, &back), dialect)
}

/// Shared pieces of SQL text, parameterised by dialect.
struct Sql(Dialect);

impl Sql {
    fn ident(&self, name: &str) -> String {
        self.0.quote_identifier(name)
    }

    /// `"a", "b"` (`sep` between).
    fn idents<'a>(&self, names: impl IntoIterator<Item = &'a str>, sep: &str) -> String {
        names.into_iter().map(|n| self.ident(n)).collect::<Vec<_>>().join(sep)
    }

    /// Index columns with MySQL prefix lengths and sort orders: `"a", "b" DESC`.
    fn index_columns(&self, columns: &[IndexColumn]) -> String {
        let mut out = Vec::with_capacity(columns.len());
        for c in columns {
            let mut s = self.ident(&c.name);
            if let Some(length) = c.length {
                s.push_str(&format!("({length})"));
            }
            if let Some(class) = &c.operator_class {
                s.push(' ');
                s.push_str(&self.operator_class(&class.name));
            }
            match c.sort {
                Some(SortOrder::Asc) => s.push_str(" ASC"),
                Some(SortOrder::Desc) => s.push_str(" DESC"),
                None => {}
            }
            out.push(s);
        }
        out.join(", ")
    }

    /// An operator class name: written bare as Prisma writes it (`gin_trgm_ops`,
    /// `public.gin_trgm_ops`) when it is only letters, digits, `_` and `.`, quoted otherwise.
    fn operator_class(&self, name: &str) -> String {
        let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if plain { name.to_owned() } else { self.ident(name) }
    }

    /// `FOREIGN KEY ("a") REFERENCES "t"("id") ON DELETE … ON UPDATE …`, with `space` between
    /// the referenced table and its columns (SQLite's `CREATE TABLE` has one, Prisma's
    /// `ALTER TABLE` statements none).
    fn foreign_key(&self, fk: &ForeignKey, space: &str) -> String {
        let mut s = String::new();
        if let Some(name) = &fk.name {
            s.push_str("CONSTRAINT ");
            s.push_str(&self.ident(name));
            s.push(' ');
        }
        s.push_str(&format!(
            "FOREIGN KEY ({}) REFERENCES {}{space}({}) ON DELETE {} ON UPDATE {}",
            self.idents(fk.columns.iter().map(String::as_str), ", "),
            self.ident(&fk.referenced_table),
            self.idents(fk.referenced_columns.iter().map(String::as_str), ", "),
            fk.on_delete.as_sql(),
            fk.on_update.as_sql(),
        ));
        s
    }

    /// The column's type: its native type, else the default of its family.
    fn base_type(&self, column: &Column) -> String {
        match (&column.native_type, &column.ty) {
            (Some(native), _) => native.clone(),
            (None, ColumnType::Enum(name)) => self.ident(name),
            (None, ty) => crate::db_schema::family_type(self.0, ty).to_owned(),
        }
    }

    /// A literal default value, escaped for the dialect. `list_type` is the element type of an
    /// array column (PostgreSQL `ARRAY[…]::TYPE[]`).
    fn value(&self, value: &DefaultValue, list_type: &str) -> String {
        let d = self.0;
        match value {
            DefaultValue::String(s) | DefaultValue::Json(s) | DefaultValue::DateTime(s) | DefaultValue::Enum(s) => {
                d.quote_string_literal(s)
            }
            DefaultValue::Number(n) if crate::db_schema::is_sql_number(n) => n.clone(),
            DefaultValue::Number(n) => d.quote_string_literal(n),
            DefaultValue::Boolean(b) => if *b { "true" } else { "false" }.to_owned(),
            DefaultValue::Bytes(bytes) => {
                let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
                match d {
                    Dialect::Postgres => format!("'\\x{hex}'"),
                    Dialect::Sqlite | Dialect::Mysql => format!("X'{hex}'"),
                }
            }
            DefaultValue::List(items) => {
                let items: Vec<String> = items.iter().map(|i| self.value(i, list_type)).collect();
                format!("ARRAY[{}]::{list_type}[]", items.join(", "))
            }
        }
    }

    /// The `DEFAULT …` expression of a column, if it has one that is written as a default
    /// (autoincrement is part of the type or column definition instead).
    fn default(&self, column: &Column) -> Option<String> {
        let d = self.0;
        match column.default.as_ref()? {
            ColumnDefault::Value(v) => Some(self.value(v, &self.base_type(column))),
            ColumnDefault::Now => Some(match d {
                Dialect::Mysql => format!("CURRENT_TIMESTAMP({})", timestamp_precision(&self.base_type(column))),
                Dialect::Sqlite | Dialect::Postgres => "CURRENT_TIMESTAMP".to_owned(),
            }),
            ColumnDefault::Autoincrement => None,
            // SQLite and MySQL take an expression default only in parentheses
            // (`DEFAULT gen_random_uuid()` is a syntax error there); PostgreSQL takes it bare.
            ColumnDefault::Expression(e) => Some(match d {
                Dialect::Postgres => e.clone(),
                Dialect::Sqlite | Dialect::Mysql => format!("({e})"),
            }),
            ColumnDefault::Sequence(name) => match d {
                Dialect::Postgres => Some(format!("nextval({}::regclass)", d.quote_string_literal(&self.ident(name)))),
                Dialect::Sqlite | Dialect::Mysql => None,
            },
        }
    }
}

/// The fractional-second precision of a MySQL temporal type: `DATETIME(3)` → 3; none written → 0.
fn timestamp_precision(ty: &str) -> u32 {
    ty.split_once('(').and_then(|(_, rest)| rest.trim_end_matches(')').parse().ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_of_mysql_temporal_types() {
        assert_eq!(timestamp_precision("DATETIME(3)"), 3);
        assert_eq!(timestamp_precision("TIMESTAMP(0)"), 0);
        assert_eq!(timestamp_precision("DATETIME"), 0);
    }
}
