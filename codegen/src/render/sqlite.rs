//! SQLite: foreign keys live inside `CREATE TABLE` (it cannot add them later), a single-column
//! primary key is written on its column, and what `ALTER TABLE` cannot do needs a table rebuild.

use orm_db_schema::{
    Column, ColumnArity, ColumnDefault, DbEnum, Dialect, ForeignKey, Index, IndexKind, PrimaryKey, Table,
};

use super::{RenderError, Renderer, Sql};

pub(super) struct SqliteRenderer;

const SQL: Sql = Sql(Dialect::Sqlite);

impl SqliteRenderer {
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

    fn rebuild(table: &str, change: &'static str) -> RenderError {
        RenderError::NeedsTableRebuild { table: table.to_owned(), change }
    }
}

impl Renderer for SqliteRenderer {
    fn create_enum(&self, _: &DbEnum) -> Result<Vec<String>, RenderError> {
        // Enum columns are TEXT on SQLite: there is no type to create.
        Ok(Vec::new())
    }

    fn alter_enum(&self, _: &DbEnum, _: &DbEnum) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    fn drop_enum(&self, _: &DbEnum) -> Result<Vec<String>, RenderError> {
        Ok(Vec::new())
    }

    fn create_table(&self, table: &Table, _: &[DbEnum]) -> Result<Vec<String>, RenderError> {
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
        Ok(vec![format!("CREATE TABLE {} (\n{}\n)", SQL.ident(&table.name), lines.join(",\n"))])
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
        // SQLite's ADD COLUMN takes no NOT NULL without a constant default, and no
        // expression or CURRENT_TIMESTAMP default.
        let constant_default = matches!(column.default, Some(ColumnDefault::Value(_)));
        let non_constant = matches!(
            column.default,
            Some(
                ColumnDefault::Now
                    | ColumnDefault::Expression(_)
                    | ColumnDefault::Autoincrement
                    | ColumnDefault::Sequence(_)
            )
        );
        if (column.arity == ColumnArity::Required && !constant_default) || non_constant {
            return Err(Self::rebuild(table, "add a required column without a constant default"));
        }
        Ok(vec![format!("ALTER TABLE {} ADD COLUMN {}", SQL.ident(table), self.column(column, false))])
    }

    fn alter_column(&self, table: &str, _: &Column, _: &Column) -> Result<Vec<String>, RenderError> {
        Err(Self::rebuild(table, "alter a column"))
    }

    fn drop_column(&self, table: &str, column: &Column) -> Vec<String> {
        vec![format!("ALTER TABLE {} DROP COLUMN {}", SQL.ident(table), SQL.ident(&column.name))]
    }

    fn alter_primary_key(
        &self,
        table: &str,
        _: Option<&PrimaryKey>,
        _: Option<&PrimaryKey>,
    ) -> Result<Vec<String>, RenderError> {
        Err(Self::rebuild(table, "change the primary key"))
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

    fn add_foreign_key(&self, table: &str, _: &ForeignKey, new_table: bool) -> Result<Vec<String>, RenderError> {
        if new_table { Ok(Vec::new()) } else { Err(Self::rebuild(table, "add a foreign key")) }
    }

    fn drop_foreign_key(&self, table: &str, _: &ForeignKey, table_dropped: bool) -> Result<Vec<String>, RenderError> {
        if table_dropped { Ok(Vec::new()) } else { Err(Self::rebuild(table, "drop a foreign key")) }
    }
}
