//! SQLite: foreign keys live inside `CREATE TABLE` (it cannot add them later), a single-column
//! primary key is written on its column, and what `ALTER TABLE` cannot do (change a column,
//! the primary key or a foreign key; add a column it cannot fill) is done by rebuilding the
//! table, as Prisma does: create `new_<table>` as it should be, copy the rows of the columns
//! both versions have, drop the old table, rename the new one, recreate its indexes. Foreign
//! keys are off meanwhile (the pragma only works outside a transaction, hence also
//! `defer_foreign_keys`), and `PRAGMA foreign_key_check` lists any row the change left dangling.

use orm_db_schema::{
    Column, ColumnArity, ColumnDefault, DbEnum, Dialect, ForeignKey, Index, IndexKind, PrimaryKey, Table,
};

use super::{EnumUse, RenderError, Renderer, Sql};
use crate::diff::Step;

/// Renders one list of steps: it knows which of the changed tables it rebuilds.
pub(super) struct SqliteRenderer {
    /// Tables with a [`Step::RedefineTable`], and whether they are rebuilt.
    redefined: Vec<(String, bool)>,
}

const SQL: Sql = Sql(Dialect::Sqlite);

impl SqliteRenderer {
    pub(super) fn new(steps: &[Step]) -> SqliteRenderer {
        let redefined = steps
            .iter()
            .filter_map(|s| match s {
                Step::RedefineTable { from, to } => Some((to.name.clone(), needs_rebuild(from, to))),
                _ => None,
            })
            .collect();
        SqliteRenderer { redefined }
    }

    /// `Some(true)` if the table is rebuilt, `Some(false)` if it changes in place, `None` if the
    /// steps do not define it.
    fn rebuilt(&self, table: &str) -> Option<bool> {
        self.redefined.iter().find(|(name, _)| name == table).map(|(_, rebuilt)| *rebuilt)
    }

    fn column(&self, column: &Column, inline_primary_key: bool) -> String {
        let mut s = format!("{} {}", SQL.ident(&column.name), SQL.base_type(column));
        if column.arity == ColumnArity::Required {
            s.push_str(" NOT NULL");
        }
        if inline_primary_key {
            s.push_str(" PRIMARY KEY");
            if column.is_autoincrement() {
                s.push_str(" AUTOINCREMENT");
            }
        }
        if let Some(default) = SQL.default(column) {
            s.push_str(" DEFAULT ");
            s.push_str(&default);
        }
        s
    }

    fn create_table_sql(&self, table: &Table, name: &str) -> String {
        let single_pk = table.primary_key.as_ref().filter(|pk| pk.columns.len() == 1);
        let mut lines: Vec<String> = table
            .columns
            .iter()
            .map(|c| {
                let inline = single_pk.is_some_and(|pk| pk.columns[0].name == c.name);
                format!("    {}", self.column(c, inline))
            })
            .collect();
        if let Some(pk) = table.primary_key.as_ref().filter(|pk| pk.columns.len() > 1) {
            lines.push(format!("\n    PRIMARY KEY ({})", SQL.idents(pk.columns.iter().map(|c| c.name.as_str()), ", ")));
        }
        for fk in &table.foreign_keys {
            lines.push(format!("    {}", SQL.foreign_key(fk, " ")));
        }
        format!("CREATE TABLE {} (\n{}\n)", SQL.ident(name), lines.join(",\n"))
    }

    /// A step that only a rebuild can do, on a table the steps do not define.
    fn undefined(table: &str, step: &'static str) -> RenderError {
        RenderError::MissingTableDefinition { table: table.to_owned(), step }
    }
}

/// Whether `ALTER TABLE … ADD COLUMN` can add the column: it takes no `NOT NULL` without a
/// constant default, and no `CURRENT_TIMESTAMP` or expression default.
fn can_add_in_place(column: &Column) -> bool {
    match &column.default {
        Some(ColumnDefault::Value(_)) => true,
        None => column.arity != ColumnArity::Required,
        Some(ColumnDefault::Now | ColumnDefault::Expression(_) | ColumnDefault::Autoincrement)
        | Some(ColumnDefault::Sequence(_)) => false,
    }
}

/// Whether turning `from` into `to` takes a rebuild rather than `ALTER TABLE` statements.
fn needs_rebuild(from: &Table, to: &Table) -> bool {
    let same_foreign_keys = from.foreign_keys.len() == to.foreign_keys.len()
        && from
            .foreign_keys
            .iter()
            .all(|fk| to.foreign_keys.iter().any(|t| crate::diff::same_foreign_key_definition(fk, t)));
    let in_primary_key =
        |c: &Column| from.primary_key.as_ref().is_some_and(|pk| pk.columns.iter().any(|k| k.name == c.name));
    !same_foreign_keys
        || from.primary_key != to.primary_key
        || to.columns.iter().any(|c| match from.column(&c.name) {
            Some(old) => old != c,
            None => !can_add_in_place(c),
        })
        || from.columns.iter().any(|c| to.column(&c.name).is_none() && in_primary_key(c))
}

impl Renderer for SqliteRenderer {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn covered(&self, step: &Step) -> bool {
        !matches!(step, Step::RedefineTable { .. } | Step::RenameColumn { .. })
            && step.altered_table().is_some_and(|table| self.rebuilt(table) == Some(true))
    }

    fn create_enum(&self, _: &DbEnum) -> Vec<String> {
        // Enum columns are TEXT on SQLite: there is no type to create.
        Vec::new()
    }

    fn alter_enum(&self, _: &DbEnum, _: &DbEnum, _: &[EnumUse]) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    fn drop_enum(&self, _: &DbEnum) -> Vec<String> {
        Vec::new()
    }

    fn create_table(&self, table: &Table, _: &[DbEnum]) -> Result<Vec<String>, RenderError> {
        Ok(vec![self.create_table_sql(table, &table.name)])
    }

    fn redefine_table(&self, from: &Table, to: &Table) -> Result<Vec<String>, RenderError> {
        if self.rebuilt(&to.name) != Some(true) {
            return Ok(Vec::new());
        }
        let temporary = format!("new_{}", to.name);
        let copied: Vec<&str> =
            to.columns.iter().filter(|c| from.column(&c.name).is_some()).map(|c| c.name.as_str()).collect();
        let copied = SQL.idents(copied, ", ");
        let mut out = vec![
            "PRAGMA defer_foreign_keys=ON".to_owned(),
            "PRAGMA foreign_keys=OFF".to_owned(),
            self.create_table_sql(to, &temporary),
        ];
        if !copied.is_empty() {
            out.push(format!(
                "INSERT INTO {} ({copied}) SELECT {copied} FROM {}",
                SQL.ident(&temporary),
                SQL.ident(&from.name)
            ));
        }
        out.push(format!("DROP TABLE {}", SQL.ident(&from.name)));
        // A view over the table points at nothing between the drop and the rename, which a
        // checking rename refuses ("error in view …"); the legacy rename leaves views be, and
        // they see the new table by its name again.
        out.push("PRAGMA legacy_alter_table=ON".to_owned());
        out.push(format!("ALTER TABLE {} RENAME TO {}", SQL.ident(&temporary), SQL.ident(&to.name)));
        out.push("PRAGMA legacy_alter_table=OFF".to_owned());
        // Indexes and triggers the schema can't describe went with the old table: made again as
        // they were (one the schema declares by name stands for that index), except those that
        // use a column that is gone, which go with it (the data-loss checks say so).
        for index in to.indexes.iter().filter(|i| !from.unmanaged.iter().any(|u| u.name == i.name)) {
            out.extend(self.create_index(&to.name, index, false));
        }
        for unmanaged in crate::diff::kept_unmanaged(from, to) {
            out.push(unmanaged.definition.clone());
        }
        out.extend([
            "PRAGMA foreign_key_check".to_owned(),
            "PRAGMA foreign_keys=ON".to_owned(),
            "PRAGMA defer_foreign_keys=OFF".to_owned(),
        ]);
        Ok(out)
    }

    fn drop_table(&self, table: &Table) -> Vec<String> {
        // Dropping a referenced table deletes its rows first; foreign keys are checked at the
        // end of the migration, not half-way through it.
        vec![
            "PRAGMA foreign_keys=off".to_owned(),
            format!("DROP TABLE {}", SQL.ident(&table.name)),
            "PRAGMA foreign_keys=on".to_owned(),
        ]
    }

    fn add_column(&self, table: &str, column: &Column, _: Option<&DbEnum>) -> Result<Vec<String>, RenderError> {
        if !can_add_in_place(column) {
            return Err(Self::undefined(table, "AddColumn"));
        }
        Ok(vec![format!("ALTER TABLE {} ADD COLUMN {}", SQL.ident(table), self.column(column, false))])
    }

    fn alter_column(
        &self,
        table: &str,
        _: &Column,
        _: &Column,
        _: Option<&DbEnum>,
    ) -> Result<Vec<String>, RenderError> {
        Err(Self::undefined(table, "AlterColumn"))
    }

    fn drop_column(&self, table: &str, column: &Column) -> Vec<String> {
        vec![format!("ALTER TABLE {} DROP COLUMN {}", SQL.ident(table), SQL.ident(&column.name))]
    }

    fn add_primary_key(&self, table: &str, _: &PrimaryKey) -> Result<Vec<String>, RenderError> {
        Err(Self::undefined(table, "AddPrimaryKey"))
    }

    fn drop_primary_key(&self, table: &str, _: &PrimaryKey) -> Result<Vec<String>, RenderError> {
        Err(Self::undefined(table, "DropPrimaryKey"))
    }

    fn create_index(&self, table: &str, index: &Index, _: bool) -> Vec<String> {
        let unique = if index.kind == IndexKind::Unique { "UNIQUE " } else { "" };
        vec![format!(
            "CREATE {unique}INDEX {} ON {}({})",
            SQL.ident(&index.name),
            SQL.ident(table),
            SQL.index_columns(&index.columns)
        )]
    }

    fn drop_index(&self, _: &str, index: &Index) -> Vec<String> {
        vec![format!("DROP INDEX {}", SQL.ident(&index.name))]
    }

    /// Written inside `CREATE TABLE`, or by the rebuild. On a table that is not rebuilt the
    /// foreign keys are the same before and after (a key dropped and added around a change).
    fn add_foreign_key(&self, table: &str, _: &ForeignKey, new_table: bool) -> Result<Vec<String>, RenderError> {
        if new_table || self.rebuilt(table).is_some() {
            Ok(Vec::new())
        } else {
            Err(Self::undefined(table, "AddForeignKey"))
        }
    }

    fn drop_foreign_key(&self, table: &str, _: &ForeignKey, table_dropped: bool) -> Result<Vec<String>, RenderError> {
        if table_dropped || self.rebuilt(table).is_some() {
            Ok(Vec::new())
        } else {
            Err(Self::undefined(table, "DropForeignKey"))
        }
    }
}
