//! MySQL / MariaDB: enums are inline `ENUM(…)` column types, indexes go inside `CREATE TABLE`,
//! foreign keys are added after every table exists, and a changed column (or enum) is
//! rewritten whole with `MODIFY`, which converts its values in place.

use orm_db_schema::{
    Column, ColumnArity, ColumnType, DbEnum, Dialect, ForeignKey, Index, IndexKind, PrimaryKey, Table,
};

use super::{EnumUse, RenderError, Renderer, Sql};

pub(super) struct MysqlRenderer;

const SQL: Sql = Sql(Dialect::Mysql);

impl MysqlRenderer {
    fn column(&self, table: &str, column: &Column, enums: &[&DbEnum]) -> Result<String, RenderError> {
        let ty = match &column.ty {
            ColumnType::Enum(name) => {
                let e = enums.iter().find(|e| &e.name == name).ok_or_else(|| RenderError::UnknownEnum {
                    table: table.to_owned(),
                    column: column.name.clone(),
                    name: name.clone(),
                })?;
                let values: Vec<String> = e.values.iter().map(|v| Dialect::Mysql.quote_string_literal(v)).collect();
                format!("ENUM({})", values.join(", "))
            }
            _ => SQL.base_type(column),
        };
        let mut s = format!("{} {ty}", SQL.ident(&column.name));
        s.push_str(if column.arity == ColumnArity::Required { " NOT NULL" } else { " NULL" });
        if let Some(default) = SQL.default(column) {
            s.push_str(" DEFAULT ");
            s.push_str(&default);
        }
        if column.is_autoincrement() {
            s.push_str(" AUTO_INCREMENT");
        }
        Ok(s)
    }

    fn index_keyword(index: &Index) -> &'static str {
        match index.kind {
            IndexKind::Unique => "UNIQUE INDEX",
            IndexKind::Normal => "INDEX",
            IndexKind::Fulltext => "FULLTEXT INDEX",
        }
    }
}

impl Renderer for MysqlRenderer {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn rename_table(&self, from: &str, to: &str) -> Vec<String> {
        vec![format!("RENAME TABLE {} TO {}", SQL.ident(from), SQL.ident(to))]
    }

    fn create_enum(&self, _: &DbEnum) -> Vec<String> {
        // Enums are written on their columns.
        Vec::new()
    }

    /// An enum is one column's type here: the column is rewritten with the new values (a row
    /// holding a removed value fails the migration in strict mode rather than losing it).
    fn alter_enum(&self, _: &DbEnum, to: &DbEnum, uses: &[EnumUse]) -> Result<Vec<String>, RenderError> {
        uses.iter()
            .filter_map(|u| Some((u, u.to.as_ref()?)))
            .map(|(u, column)| {
                Ok(format!("ALTER TABLE {} MODIFY {}", SQL.ident(&u.table), self.column(&u.table, column, &[to])?))
            })
            .collect()
    }

    fn drop_enum(&self, _: &DbEnum) -> Vec<String> {
        Vec::new()
    }

    fn create_table(&self, table: &Table, enums: &[DbEnum]) -> Result<Vec<String>, RenderError> {
        let enums: Vec<&DbEnum> = enums.iter().collect();
        let mut lines = Vec::new();
        for c in &table.columns {
            lines.push(format!("    {}", self.column(&table.name, c, &enums)?));
        }
        let mut constraints: Vec<String> = table
            .indexes
            .iter()
            .map(|i| {
                format!("    {} {}({})", Self::index_keyword(i), SQL.ident(&i.name), SQL.index_columns(&i.columns))
            })
            .collect();
        if let Some(pk) = &table.primary_key {
            constraints.push(format!("    PRIMARY KEY ({})", SQL.index_columns(&pk.columns)));
        }
        let mut body = lines.join(",\n");
        if !constraints.is_empty() {
            body.push_str(",\n\n");
            body.push_str(&constraints.join(",\n"));
        }
        Ok(vec![format!(
            "CREATE TABLE {} (\n{body}\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            SQL.ident(&table.name)
        )])
    }

    fn drop_table(&self, table: &Table) -> Vec<String> {
        vec![format!("DROP TABLE {}", SQL.ident(&table.name))]
    }

    fn add_column(&self, table: &str, column: &Column, enum_: Option<&DbEnum>) -> Result<Vec<String>, RenderError> {
        let enums: Vec<&DbEnum> = enum_.into_iter().collect();
        Ok(vec![format!("ALTER TABLE {} ADD COLUMN {}", SQL.ident(table), self.column(table, column, &enums)?)])
    }

    fn alter_column(
        &self,
        table: &str,
        _: &Column,
        to: &Column,
        enum_: Option<&DbEnum>,
    ) -> Result<Vec<String>, RenderError> {
        let enums: Vec<&DbEnum> = enum_.into_iter().collect();
        Ok(vec![format!("ALTER TABLE {} MODIFY {}", SQL.ident(table), self.column(table, to, &enums)?)])
    }

    fn drop_column(&self, table: &str, column: &Column) -> Vec<String> {
        vec![format!("ALTER TABLE {} DROP COLUMN {}", SQL.ident(table), SQL.ident(&column.name))]
    }

    fn add_primary_key(&self, table: &str, pk: &PrimaryKey) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!("ALTER TABLE {} ADD PRIMARY KEY ({})", SQL.ident(table), SQL.index_columns(&pk.columns))])
    }

    fn drop_primary_key(&self, table: &str, _: &PrimaryKey) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!("ALTER TABLE {} DROP PRIMARY KEY", SQL.ident(table))])
    }

    fn create_index(&self, table: &str, index: &Index, new_table: bool) -> Vec<String> {
        if new_table {
            return Vec::new();
        }
        let kind = match index.kind {
            IndexKind::Unique => "UNIQUE ",
            IndexKind::Normal => "",
            IndexKind::Fulltext => "FULLTEXT ",
        };
        vec![format!(
            "CREATE {kind}INDEX {} ON {}({})",
            SQL.ident(&index.name),
            SQL.ident(table),
            SQL.index_columns(&index.columns)
        )]
    }

    fn drop_index(&self, table: &str, index: &Index) -> Vec<String> {
        vec![format!("DROP INDEX {} ON {}", SQL.ident(&index.name), SQL.ident(table))]
    }

    fn add_foreign_key(&self, table: &str, fk: &ForeignKey, _: bool) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!("ALTER TABLE {} ADD {}", SQL.ident(table), SQL.foreign_key(fk, ""))])
    }

    fn drop_foreign_key(&self, table: &str, fk: &ForeignKey, _: bool) -> Result<Vec<String>, RenderError> {
        match &fk.name {
            Some(name) => Ok(vec![format!("ALTER TABLE {} DROP FOREIGN KEY {}", SQL.ident(table), SQL.ident(name))]),
            None => Err(RenderError::UnnamedConstraint { table: table.to_owned(), constraint: "foreign key" }),
        }
    }
}
