//! PostgreSQL: enums are types, foreign keys are added after every table exists.

use orm_db_schema::{
    Column, ColumnArity, DbEnum, Dialect, ForeignKey, Index, IndexAlgorithm, IndexKind, PrimaryKey, Table,
};

use super::{RenderError, Renderer, Sql};

pub(super) struct PostgresRenderer;

const SQL: Sql = Sql(Dialect::Postgres);

impl PostgresRenderer {
    fn column(&self, column: &Column) -> String {
        let base = SQL.base_type(column);
        let ty = if column.is_autoincrement() {
            match base.as_str() {
                "INTEGER" => "SERIAL".to_owned(),
                "BIGINT" => "BIGSERIAL".to_owned(),
                "SMALLINT" => "SMALLSERIAL".to_owned(),
                _ => base.clone(),
            }
        } else {
            base.clone()
        };
        let mut s = format!("{} {ty}", SQL.ident(&column.name));
        if column.arity == ColumnArity::List {
            s.push_str("[]");
        }
        if column.arity == ColumnArity::Required {
            s.push_str(" NOT NULL");
        }
        if let Some(default) = SQL.default(column) {
            s.push_str(" DEFAULT ");
            s.push_str(&default);
        }
        s
    }

    fn primary_key(&self, pk: &PrimaryKey) -> String {
        let columns = SQL.idents(pk.columns.iter().map(|c| c.name.as_str()), ",");
        match &pk.name {
            Some(name) => format!("CONSTRAINT {} PRIMARY KEY ({columns})", SQL.ident(name)),
            None => format!("PRIMARY KEY ({columns})"),
        }
    }
}

impl Renderer for PostgresRenderer {
    fn create_enum(&self, e: &DbEnum) -> Result<Vec<String>, RenderError> {
        let values: Vec<String> = e.values.iter().map(|v| Dialect::Postgres.quote_string_literal(v)).collect();
        Ok(vec![format!("CREATE TYPE {} AS ENUM ({})", SQL.ident(&e.name), values.join(", "))])
    }

    fn alter_enum(&self, _: &DbEnum, _: &DbEnum) -> Result<Vec<String>, RenderError> {
        Err(RenderError::NotYetSupported { step: "AlterEnum", dialect: Dialect::Postgres })
    }

    fn drop_enum(&self, e: &DbEnum) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!("DROP TYPE {}", SQL.ident(&e.name))])
    }

    fn create_table(&self, table: &Table, _: &[DbEnum]) -> Result<Vec<String>, RenderError> {
        let mut lines: Vec<String> = table.columns.iter().map(|c| format!("    {}", self.column(c))).collect();
        if let Some(pk) = &table.primary_key {
            lines.push(format!("\n    {}", self.primary_key(pk)));
        }
        Ok(vec![format!("CREATE TABLE {} (\n{}\n)", SQL.ident(&table.name), lines.join(",\n"))])
    }

    fn drop_table(&self, table: &Table) -> Vec<String> {
        vec![format!("DROP TABLE {}", SQL.ident(&table.name))]
    }

    fn add_column(&self, table: &str, column: &Column, _: Option<&DbEnum>) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!("ALTER TABLE {} ADD COLUMN {}", SQL.ident(table), self.column(column))])
    }

    fn alter_column(&self, _: &str, _: &Column, _: &Column) -> Result<Vec<String>, RenderError> {
        Err(RenderError::NotYetSupported { step: "AlterColumn", dialect: Dialect::Postgres })
    }

    fn drop_column(&self, table: &str, column: &Column) -> Vec<String> {
        vec![format!("ALTER TABLE {} DROP COLUMN {}", SQL.ident(table), SQL.ident(&column.name))]
    }

    fn alter_primary_key(
        &self,
        _: &str,
        _: Option<&PrimaryKey>,
        _: Option<&PrimaryKey>,
    ) -> Result<Vec<String>, RenderError> {
        Err(RenderError::NotYetSupported { step: "AlterPrimaryKey", dialect: Dialect::Postgres })
    }

    fn create_index(&self, table: &str, index: &Index, _: bool) -> Vec<String> {
        let unique = if index.kind == IndexKind::Unique { "UNIQUE " } else { "" };
        let using = match index.algorithm {
            None | Some(IndexAlgorithm::BTree) => "",
            Some(IndexAlgorithm::Hash) => " USING HASH ",
            Some(IndexAlgorithm::Gist) => " USING GIST ",
            Some(IndexAlgorithm::Gin) => " USING GIN ",
            Some(IndexAlgorithm::SpGist) => " USING SPGIST ",
            Some(IndexAlgorithm::Brin) => " USING BRIN ",
        };
        vec![format!(
            "CREATE {unique}INDEX {} ON {}{using}({})",
            SQL.ident(&index.name),
            SQL.ident(table),
            SQL.index_columns(&index.columns)
        )]
    }

    fn drop_index(&self, _: &str, index: &Index) -> Vec<String> {
        vec![format!("DROP INDEX {}", SQL.ident(&index.name))]
    }

    fn add_foreign_key(&self, table: &str, fk: &ForeignKey, _: bool) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!("ALTER TABLE {} ADD {}", SQL.ident(table), SQL.foreign_key(fk, ""))])
    }

    fn drop_foreign_key(&self, table: &str, fk: &ForeignKey, _: bool) -> Result<Vec<String>, RenderError> {
        match &fk.name {
            Some(name) => Ok(vec![format!("ALTER TABLE {} DROP CONSTRAINT {}", SQL.ident(table), SQL.ident(name))]),
            None => Err(RenderError::NotYetSupported { step: "DropForeignKey (unnamed)", dialect: Dialect::Postgres }),
        }
    }
}
