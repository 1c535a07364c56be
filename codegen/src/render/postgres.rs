//! PostgreSQL: enums are types, foreign keys are added after every table exists, and a column
//! changes type in place with a cast (`USING`), never by drop and add.
//!
//! Enum values are added in place (`ALTER TYPE … ADD VALUE … BEFORE …`, keeping the declared
//! order, which Prisma loses). PostgreSQL 12+ runs that inside a transaction, but a value added
//! there cannot be used before the transaction commits, so a migration that adds a value and
//! makes it a default runs outside one (as the tests do) or is split in two.

use orm_db_schema::{
    Column, ColumnArity, ColumnType, DbEnum, Dialect, ForeignKey, Index, IndexAlgorithm, IndexKind, PrimaryKey, Table,
};

use super::{EnumUse, RenderError, Renderer, Sql};
use crate::diff::type_changed;

pub(super) struct PostgresRenderer;

const SQL: Sql = Sql(Dialect::Postgres);

/// PostgreSQL's longest identifier, in bytes.
const MAX_IDENTIFIER: usize = 63;

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

    /// The `USING` expression that converts the values of `from` into `to`'s type `target`
    /// (without `[]`). Enums convert through `text`, the one type every other casts to and from.
    fn cast(from: &Column, to: &Column, target: &str) -> String {
        let c = SQL.ident(&from.name);
        let through_text = matches!(from.ty, ColumnType::Enum(_)) || matches!(to.ty, ColumnType::Enum(_));
        let via = if through_text { "::text" } else { "" };
        match (from.arity == ColumnArity::List, to.arity == ColumnArity::List) {
            (false, false) => format!("{c}{via}::{target}"),
            (true, true) => format!("{c}{}::{target}[]", if through_text { "::text[]" } else { "" }),
            (false, true) => format!("CASE WHEN {c} IS NULL THEN NULL ELSE ARRAY[{c}{via}::{target}] END"),
            (true, false) => format!("{c}[1]{via}::{target}"),
        }
    }

    /// `ALTER TABLE "t" ALTER COLUMN "c" …` clauses that move every use of an enum to `to_type`.
    fn retype_enum_uses(uses: &[EnumUse], to_type: &str) -> Vec<String> {
        uses.iter()
            .map(|u| {
                let c = SQL.ident(&u.from.name);
                let (array, text) = if u.from.arity == ColumnArity::List { ("[]", "text[]") } else { ("", "text") };
                format!(
                    "ALTER TABLE {} ALTER COLUMN {c} TYPE {to_type}{array} USING ({c}::{text}::{to_type}{array})",
                    SQL.ident(&u.table)
                )
            })
            .collect()
    }
}

/// The name PostgreSQL gives the sequence of a `SERIAL` column (its `makeObjectName`):
/// `<table>_<column>_seq`, the longer of the two names cut until the whole fits.
pub(super) fn serial_sequence_name(table: &str, column: &str) -> String {
    let available = MAX_IDENTIFIER - "_".len() * 2 - "seq".len();
    let (mut t, mut c) = (table.len(), column.len());
    while t + c > available {
        if t > c {
            t -= 1;
        } else {
            c -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        s[..n].to_owned()
    };
    format!("{}_{}_seq", clip(table, t), clip(column, c))
}

impl Renderer for PostgresRenderer {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn create_enum(&self, e: &DbEnum) -> Vec<String> {
        let values: Vec<String> = e.values.iter().map(|v| Dialect::Postgres.quote_string_literal(v)).collect();
        vec![format!("CREATE TYPE {} AS ENUM ({})", SQL.ident(&e.name), values.join(", "))]
    }

    /// Values only added (old ones keep their order) are added in place, each before the value
    /// that follows it. Otherwise, as Prisma does: a new type, every column moved to it through
    /// `text` (a row holding a removed value fails the migration rather than losing it), the
    /// old type replaced by it, and the columns' defaults restored.
    fn alter_enum(&self, from: &DbEnum, to: &DbEnum, uses: &[EnumUse]) -> Result<Vec<String>, RenderError> {
        let kept: Vec<&String> = to.values.iter().filter(|v| from.values.contains(v)).collect();
        let only_added = kept.len() == from.values.len() && kept.iter().zip(&from.values).all(|(a, b)| *a == b);
        let name = SQL.ident(&from.name);
        let literal = |v: &str| Dialect::Postgres.quote_string_literal(v);
        if only_added {
            // Added last to first, so the value each one goes before already exists.
            let mut out = Vec::new();
            for (i, value) in to.values.iter().enumerate().rev() {
                if from.values.contains(value) {
                    continue;
                }
                out.push(match to.values.get(i + 1) {
                    Some(next) => format!("ALTER TYPE {name} ADD VALUE {} BEFORE {}", literal(value), literal(next)),
                    None => format!("ALTER TYPE {name} ADD VALUE {}", literal(value)),
                });
            }
            return Ok(out);
        }
        let new_name = format!("{}_new", from.name);
        let old_name = format!("{}_old", from.name);
        let mut out = self.create_enum(&DbEnum { name: new_name.clone(), values: to.values.clone() });
        for u in uses.iter().filter(|u| u.from.default.is_some()) {
            out.push(format!(
                "ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT",
                SQL.ident(&u.table),
                SQL.ident(&u.from.name)
            ));
        }
        out.extend(Self::retype_enum_uses(uses, &SQL.ident(&new_name)));
        out.push(format!("ALTER TYPE {name} RENAME TO {}", SQL.ident(&old_name)));
        out.push(format!("ALTER TYPE {} RENAME TO {name}", SQL.ident(&new_name)));
        out.push(format!("DROP TYPE {}", SQL.ident(&old_name)));
        for u in uses {
            if let Some(default) = u.to.as_ref().and_then(|c| SQL.default(c)) {
                out.push(format!(
                    "ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {default}",
                    SQL.ident(&u.table),
                    SQL.ident(&u.from.name)
                ));
            }
        }
        Ok(out)
    }

    fn drop_enum(&self, e: &DbEnum) -> Vec<String> {
        vec![format!("DROP TYPE {}", SQL.ident(&e.name))]
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

    /// One `ALTER TABLE` with a clause per change, as Prisma writes it. The old default goes
    /// before a type change (it may not cast) and the new one comes after. A column that
    /// becomes autoincrement gets a sequence it owns, as `SERIAL` would have made.
    fn alter_column(
        &self,
        table: &str,
        from: &Column,
        to: &Column,
        _: Option<&DbEnum>,
    ) -> Result<Vec<String>, RenderError> {
        let (t, c) = (SQL.ident(table), SQL.ident(&to.name));
        let sequence = SQL.ident(&serial_sequence_name(table, &to.name));
        let retype = type_changed(from, to);
        let keeps_sequence = from.is_autoincrement() && to.is_autoincrement();
        // A default may not cast to the new type: it goes first and comes back after.
        let drop_default = from.default.is_some() && ((retype && !keeps_sequence) || to.default.is_none());
        let set_default = to.default.is_some() && (from.default != to.default || drop_default);
        let base = SQL.base_type(to);
        let mut before = Vec::new();
        let mut clauses = Vec::new();
        let mut after = Vec::new();

        if to.is_autoincrement() && !from.is_autoincrement() {
            let as_type = matches!(base.as_str(), "SMALLINT" | "INTEGER" | "BIGINT").then(|| format!(" AS {base}"));
            before.push(format!("CREATE SEQUENCE {sequence}{}", as_type.unwrap_or_default()));
            after.push(format!("ALTER SEQUENCE {sequence} OWNED BY {t}.{c}"));
        }
        if drop_default {
            clauses.push(format!("ALTER COLUMN {c} DROP DEFAULT"));
        }
        if retype {
            let array = if to.arity == ColumnArity::List { "[]" } else { "" };
            clauses.push(format!("ALTER COLUMN {c} SET DATA TYPE {base}{array} USING {}", Self::cast(from, to, &base)));
            if keeps_sequence && matches!(base.as_str(), "SMALLINT" | "INTEGER" | "BIGINT") {
                after.push(format!("ALTER SEQUENCE IF EXISTS {sequence} AS {base}"));
            }
        }
        match (from.arity == ColumnArity::Required, to.arity == ColumnArity::Required) {
            (false, true) => clauses.push(format!("ALTER COLUMN {c} SET NOT NULL")),
            (true, false) => clauses.push(format!("ALTER COLUMN {c} DROP NOT NULL")),
            _ => {}
        }
        if set_default {
            if to.is_autoincrement() {
                let regclass = Dialect::Postgres.quote_string_literal(&sequence);
                clauses.push(format!("ALTER COLUMN {c} SET DEFAULT nextval({regclass}::regclass)"));
            } else if let Some(default) = SQL.default(to) {
                clauses.push(format!("ALTER COLUMN {c} SET DEFAULT {default}"));
            }
        }
        if from.is_autoincrement() && !to.is_autoincrement() {
            after.push(format!("DROP SEQUENCE IF EXISTS {sequence}"));
        }
        let mut out = before;
        if !clauses.is_empty() {
            out.push(format!("ALTER TABLE {t} {}", clauses.join(",\n")));
        }
        out.extend(after);
        Ok(out)
    }

    fn drop_column(&self, table: &str, column: &Column) -> Vec<String> {
        vec![format!("ALTER TABLE {} DROP COLUMN {}", SQL.ident(table), SQL.ident(&column.name))]
    }

    fn add_primary_key(&self, table: &str, pk: &PrimaryKey) -> Result<Vec<String>, RenderError> {
        Ok(vec![format!("ALTER TABLE {} ADD {}", SQL.ident(table), self.primary_key(pk))])
    }

    fn drop_primary_key(&self, table: &str, pk: &PrimaryKey) -> Result<Vec<String>, RenderError> {
        let Some(name) = &pk.name else {
            return Err(RenderError::UnnamedConstraint { table: table.to_owned(), constraint: "primary key" });
        };
        Ok(vec![format!("ALTER TABLE {} DROP CONSTRAINT {}", SQL.ident(table), SQL.ident(name))])
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
            None => Err(RenderError::UnnamedConstraint { table: table.to_owned(), constraint: "foreign key" }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_names_follow_postgres() {
        assert_eq!(serial_sequence_name("User", "id"), "User_id_seq");
        let long = "a".repeat(70);
        let name = serial_sequence_name(&long, "id");
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_id_seq", "a".repeat(56)));
        assert_eq!(
            serial_sequence_name(&"t".repeat(40), &"c".repeat(40)),
            format!("{}_{}_seq", "t".repeat(29), "c".repeat(29))
        );
    }
}
