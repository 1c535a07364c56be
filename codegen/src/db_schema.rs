//! Schema → [`DbSchema`]: the database Prisma creates for a schema, name for name.
//!
//! Matching Prisma exactly (table, column and constraint names, types, defaults, join tables)
//! is what lets a Prisma project switch to `orm` without touching its database, so every rule
//! here mirrors Prisma's migration engine; the tests pin the SQL its engine prints.
//! Works on any resolved `Schema`, even one with errors: what does not resolve is left out.

use orm_db_schema::{
    Column, ColumnArity, ColumnDefault, ColumnType, DbEnum, DbSchema, DefaultValue, Dialect, ForeignKey,
    ForeignKeyAction, Index, IndexAlgorithm, IndexColumn, IndexKind, OperatorClass as DbOperatorClass, PrimaryKey,
    SortOrder, Table, stored_datetime,
};
use orm_schema::{
    Arity, DefaultKind, Field, FieldId, FieldType, IndexKind as SchemaIndexKind, Literal, Model, ModelId, ModelKind,
    NativeType, OperatorClass, Provider, ReferentialAction, RelationKind, RelationMode, ScalarType, Schema,
    SortOrder as SchemaSortOrder,
};

/// The dialect a schema's datasource provider speaks; SQLite when there is no datasource
/// (the default of `orm init`).
pub fn dialect_of(schema: &Schema) -> Dialect {
    match schema.provider() {
        Some(Provider::Postgres) => Dialect::Postgres,
        Some(Provider::Mysql) => Dialect::Mysql,
        Some(Provider::Sqlite) | None => Dialect::Sqlite,
    }
}

/// The provider whose capabilities (native types among them) `dialect` has.
pub(crate) fn provider_of(dialect: Dialect) -> Provider {
    match dialect {
        Dialect::Sqlite => Provider::Sqlite,
        Dialect::Postgres => Provider::Postgres,
        Dialect::Mysql => Provider::Mysql,
    }
}

/// The database the schema describes, for its own provider.
pub fn from_schema(schema: &Schema) -> DbSchema {
    from_schema_for(schema, dialect_of(schema))
}

/// The database the schema describes, for `dialect`.
pub fn from_schema_for(schema: &Schema, dialect: Dialect) -> DbSchema {
    let mut db = DbSchema::default();
    if dialect.has_enum_types() {
        for e in schema.enums.values() {
            db.enums.push(DbEnum {
                name: e.db_name.clone(),
                values: e.values.values().map(|v| v.db_name.clone()).collect(),
            });
        }
    }
    let foreign_keys = schema.datasource.as_ref().is_none_or(|d| d.relation_mode == RelationMode::ForeignKeys);
    for model in schema.models.values() {
        if model.kind != ModelKind::Model {
            continue;
        }
        let cx = ModelCx { schema, dialect, model };
        let table = cx.table(foreign_keys, &mut db.enums);
        db.tables.push(table);
    }
    for relation in &schema.relations {
        if relation.kind != RelationKind::ManyToMany {
            continue;
        }
        if let Some(table) = join_table(schema, dialect, &relation.name, relation.from.0, relation.to.0, foreign_keys) {
            db.tables.push(table);
        }
    }
    db
}

struct ModelCx<'a> {
    schema: &'a Schema,
    dialect: Dialect,
    model: &'a Model,
}

impl ModelCx<'_> {
    fn field(&self, id: FieldId) -> Option<&Field> {
        self.model.fields.get_index(id.0).map(|(_, f)| f)
    }

    fn column_name(&self, id: FieldId) -> Option<String> {
        self.field(id).map(|f| f.db_name.clone())
    }

    fn table(&self, foreign_keys: bool, enums: &mut Vec<DbEnum>) -> Table {
        let table_name = self.model.db_name.clone();
        let primary_key = self.primary_key();
        let mut table = Table { name: table_name, primary_key, ..Table::default() };
        for (_, field) in self.model.scalar_fields() {
            if let Some(column) = self.column(field, &table, enums) {
                table.columns.push(column);
            }
        }
        table.indexes = self.indexes();
        if foreign_keys {
            table.foreign_keys = self.foreign_keys();
        }
        if self.dialect == Dialect::Mysql {
            add_implicit_foreign_key_indexes(&mut table);
        }
        table
    }

    /// The columns of a key or index, skipping fields that have no column. Only MySQL keeps
    /// prefix lengths.
    fn index_columns(&self, fields: &[orm_schema::IndexField], method: Option<&str>) -> Vec<IndexColumn> {
        fields
            .iter()
            .filter_map(|f| {
                let name = self.column_name(f.field)?;
                let sort = sort_order(f.sort);
                let length = f.length.filter(|_| self.dialect == Dialect::Mysql);
                let operator_class = match self.dialect {
                    Dialect::Postgres => f.ops.as_ref().map(|ops| operator_class(ops, method)),
                    Dialect::Sqlite | Dialect::Mysql => None,
                };
                Some(IndexColumn { name, sort, length, operator_class })
            })
            .collect()
    }

    fn primary_key(&self) -> Option<PrimaryKey> {
        let pk = self.model.primary_key.as_ref()?;
        let mut columns = self.index_columns(&pk.fields, None);
        if columns.is_empty() {
            return None;
        }
        // Only MySQL writes the sort order of primary-key columns.
        if self.dialect != Dialect::Mysql {
            columns.iter_mut().for_each(|c| c.sort = None);
        }
        let name = match self.dialect {
            Dialect::Postgres => {
                Some(pk.map.clone().unwrap_or_else(|| constraint_name(self.dialect, &self.model.db_name, &[], "_pkey")))
            }
            Dialect::Sqlite | Dialect::Mysql => None,
        };
        Some(PrimaryKey { name, columns })
    }

    fn column(&self, field: &Field, table: &Table, enums: &mut Vec<DbEnum>) -> Option<Column> {
        let (ty, native_type) = match &field.ty {
            FieldType::Scalar(s) => {
                (scalar_family(*s), Some(native_type(self.dialect, *s, field.native_type.as_ref())))
            }
            FieldType::Enum(id) => {
                let (_, e) = self.schema.enums.get_index(id.0)?;
                match self.dialect {
                    Dialect::Postgres => (ColumnType::Enum(e.db_name.clone()), None),
                    Dialect::Mysql => {
                        // MySQL enums live on their column; its catalog has no name for them.
                        let name = format!("{}_{}", table.name, field.db_name);
                        enums.push(DbEnum {
                            name: name.clone(),
                            values: e.values.values().map(|v| v.db_name.clone()).collect(),
                        });
                        (ColumnType::Enum(name), None)
                    }
                    // Plain text on SQLite, so its default is plain text too (see `default`).
                    Dialect::Sqlite => (ColumnType::String, Some("TEXT".to_owned())),
                }
            }
            FieldType::Unsupported(ty) => (ColumnType::Unsupported, Some(ty.clone())),
            FieldType::Model(_) => return None,
        };
        let arity = match field.arity {
            Arity::Required => ColumnArity::Required,
            Arity::Optional => ColumnArity::Nullable,
            Arity::List => ColumnArity::List,
        };
        let default = self.default(field, table, &ty, native_type.as_deref());
        Some(Column { name: field.db_name.clone(), ty, native_type, arity, default })
    }

    fn default(&self, field: &Field, table: &Table, ty: &ColumnType, native: Option<&str>) -> Option<ColumnDefault> {
        let single_pk = table.is_single_primary_key(&field.db_name);
        let Some(default) = &field.default else {
            // SQLite makes an `INTEGER` primary key the rowid; Prisma marks it autoincrement.
            let implicit = self.dialect == Dialect::Sqlite && single_pk && native == Some("INTEGER");
            return implicit.then_some(ColumnDefault::Autoincrement);
        };
        match &default.kind {
            DefaultKind::Value(lit) => {
                let mut value = literal_default(self.schema, field, ty, lit)?;
                if let Some(native) = native {
                    value = stored_datetimes(self.dialect, native, value);
                }
                if let (Dialect::Sqlite, DefaultValue::Enum(v)) = (self.dialect, &value) {
                    value = DefaultValue::String(v.clone());
                }
                // MySQL refuses literal defaults on JSON and BLOB columns; Prisma leaves them out.
                let refused = self.dialect == Dialect::Mysql && matches!(ty, ColumnType::Json | ColumnType::Bytes);
                (!refused).then_some(ColumnDefault::Value(value))
            }
            DefaultKind::Now => Some(ColumnDefault::Now),
            DefaultKind::Autoincrement => match self.dialect {
                // Only an `INTEGER PRIMARY KEY` can autoincrement on SQLite.
                Dialect::Sqlite => (single_pk && native == Some("INTEGER")).then_some(ColumnDefault::Autoincrement),
                Dialect::Postgres | Dialect::Mysql => Some(ColumnDefault::Autoincrement),
            },
            DefaultKind::DbGenerated(Some(expr)) if !expr.is_empty() => Some(ColumnDefault::Expression(expr.clone())),
            // Generated by the client (`uuid()`, `cuid()` …) or with nothing to say.
            DefaultKind::DbGenerated(_)
            | DefaultKind::Uuid(_)
            | DefaultKind::Cuid(_)
            | DefaultKind::Ulid
            | DefaultKind::Nanoid(_) => None,
        }
    }

    /// Field `@unique`s first, then `@@index`, `@@unique`, `@@fulltext`: the order in which
    /// Prisma reads the attributes, and so the order of its `CREATE INDEX` statements.
    fn indexes(&self) -> Vec<Index> {
        let rank = |i: &orm_schema::Index| match (i.from_field, i.kind) {
            (true, _) => 0,
            (false, SchemaIndexKind::Normal) => 1,
            (false, SchemaIndexKind::Unique) => 2,
            (false, SchemaIndexKind::Fulltext) => 3,
        };
        let mut indexes: Vec<&orm_schema::Index> = self.model.indexes.iter().collect();
        indexes.sort_by_key(|i| rank(i));
        indexes
            .into_iter()
            .filter_map(|index| {
                let columns = self.index_columns(&index.fields, index.index_type.as_deref());
                if columns.is_empty() || columns.len() != index.fields.len() {
                    return None;
                }
                let (kind, suffix) = match index.kind {
                    SchemaIndexKind::Unique => (IndexKind::Unique, "_key"),
                    SchemaIndexKind::Normal => (IndexKind::Normal, "_idx"),
                    SchemaIndexKind::Fulltext => (IndexKind::Fulltext, "_idx"),
                };
                let name = index.map.clone().unwrap_or_else(|| {
                    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
                    constraint_name(self.dialect, &self.model.db_name, &names, suffix)
                });
                let algorithm = match self.dialect {
                    Dialect::Postgres => index.index_type.as_deref().and_then(index_algorithm),
                    Dialect::Sqlite | Dialect::Mysql => None,
                };
                Some(Index { name, kind, columns, algorithm })
            })
            .collect()
    }

    /// One foreign key per relation field that holds `fields`/`references`, in field order.
    fn foreign_keys(&self) -> Vec<ForeignKey> {
        let mut fks = Vec::new();
        for (_, field) in self.model.relation_fields() {
            let (Some(attr), FieldType::Model(target)) = (&field.relation, &field.ty) else { continue };
            if attr.fields.is_empty() || attr.fields.len() != attr.references.len() {
                continue;
            }
            let Some((_, target)) = self.schema.models.get_index(target.0) else { continue };
            let columns: Option<Vec<String>> = attr.fields.iter().map(|f| self.column_name(*f)).collect();
            let referenced: Option<Vec<String>> =
                attr.references.iter().map(|f| target.fields.get_index(f.0).map(|(_, f)| f.db_name.clone())).collect();
            let (Some(columns), Some(referenced_columns)) = (columns, referenced) else { continue };
            let name = attr.map.clone().unwrap_or_else(|| {
                let names: Vec<&str> = columns.iter().map(String::as_str).collect();
                constraint_name(self.dialect, &self.model.db_name, &names, "_fkey")
            });
            // Prisma's defaults: a required relation restricts deletes, an optional one nulls.
            let default_on_delete =
                if field.arity == Arity::Required { ForeignKeyAction::Restrict } else { ForeignKeyAction::SetNull };
            fks.push(ForeignKey {
                name: Some(name),
                columns,
                referenced_table: target.db_name.clone(),
                referenced_columns,
                on_delete: attr.on_delete.map(action).unwrap_or(default_on_delete),
                on_update: attr.on_update.map(action).unwrap_or(ForeignKeyAction::Cascade),
            });
        }
        fks
    }
}

/// The implicit many-to-many table `_<relation>`: columns `A` and `B` referencing the single-field
/// ids of the two models (`A` the model whose name sorts first), as Prisma creates it. PostgreSQL
/// gets a primary key `_<relation>_AB_pkey`, the others a unique index `_<relation>_AB_unique`
/// (Prisma 6's split); all get `_<relation>_B_index` and cascading foreign keys.
fn join_table(
    schema: &Schema,
    dialect: Dialect,
    relation: &str,
    a: ModelId,
    b: ModelId,
    foreign_keys: bool,
) -> Option<Table> {
    let name = format!("_{relation}");
    let side = |id: ModelId, column: &str| -> Option<(Column, ForeignKey)> {
        let (_, model) = schema.models.get_index(id.0)?;
        let pk = model.primary_key.as_ref()?;
        let [pk_field] = pk.fields.as_slice() else { return None };
        let (_, field) = model.fields.get_index(pk_field.field.0)?;
        let FieldType::Scalar(scalar) = field.ty else { return None };
        let column = Column {
            name: column.to_owned(),
            ty: scalar_family(scalar),
            native_type: Some(native_type(dialect, scalar, field.native_type.as_ref())),
            arity: ColumnArity::Required,
            default: None,
        };
        let fk = ForeignKey {
            name: Some(format!("{name}_{}_fkey", column.name)),
            columns: vec![column.name.clone()],
            referenced_table: model.db_name.clone(),
            referenced_columns: vec![field.db_name.clone()],
            on_delete: ForeignKeyAction::Cascade,
            on_update: ForeignKeyAction::Cascade,
        };
        Some((column, fk))
    };
    let (col_a, fk_a) = side(a, "A")?;
    let (col_b, fk_b) = side(b, "B")?;
    let ab = vec![IndexColumn::new("A"), IndexColumn::new("B")];
    let mut table = Table { name: name.clone(), columns: vec![col_a, col_b], ..Table::default() };
    if dialect == Dialect::Postgres {
        table.primary_key = Some(PrimaryKey { name: Some(format!("{name}_AB_pkey")), columns: ab });
    } else {
        table.indexes.push(Index {
            name: format!("{name}_AB_unique"),
            kind: IndexKind::Unique,
            columns: ab,
            algorithm: None,
        });
    }
    table.indexes.push(Index {
        name: format!("{name}_B_index"),
        kind: IndexKind::Normal,
        columns: vec![IndexColumn::new("B")],
        algorithm: None,
    });
    if foreign_keys {
        table.foreign_keys = vec![fk_a, fk_b];
    }
    Some(table)
}

/// InnoDB needs an index whose leading columns are a foreign key's, and creates one named like
/// the key when there is none; it is part of the database, so it is part of the description
/// (and a migration that drops the key drops it too).
fn add_implicit_foreign_key_indexes(table: &mut Table) {
    for fk in &table.foreign_keys {
        let Some(name) = &fk.name else { continue };
        let leads = |columns: &[IndexColumn]| {
            columns.len() >= fk.columns.len()
                && columns.iter().zip(&fk.columns).all(|(c, f)| &c.name == f && c.length.is_none())
        };
        let covered = table.primary_key.as_ref().is_some_and(|pk| leads(&pk.columns))
            || table.indexes.iter().any(|i| i.kind != IndexKind::Fulltext && leads(&i.columns));
        if !covered {
            table.indexes.push(Index {
                name: name.clone(),
                kind: IndexKind::Normal,
                columns: fk.columns.iter().map(IndexColumn::new).collect(),
                algorithm: None,
            });
        }
    }
}

/// Timestamp defaults in the form the database keeps them ([`orm_db_schema::stored_datetime`]).
fn stored_datetimes(dialect: Dialect, native: &str, value: DefaultValue) -> DefaultValue {
    match value {
        DefaultValue::DateTime(text) => DefaultValue::DateTime(stored_datetime(dialect, native, &text)),
        DefaultValue::List(items) => {
            DefaultValue::List(items.into_iter().map(|i| stored_datetimes(dialect, native, i)).collect())
        }
        other => other,
    }
}

/// Prisma's default constraint name: `<table>_<columns joined by _><suffix>`, the prefix cut
/// (at a character boundary) so the whole fits the database's identifier limit.
pub fn constraint_name(dialect: Dialect, table: &str, columns: &[&str], suffix: &str) -> String {
    let mut base = if columns.is_empty() { table.to_owned() } else { format!("{table}_{}", columns.join("_")) };
    if let Some(limit) = dialect.max_identifier_length() {
        let mut max = limit.saturating_sub(suffix.len());
        if base.len() > max {
            while !base.is_char_boundary(max) {
                max -= 1;
            }
            base.truncate(max);
        }
    }
    base.push_str(suffix);
    base
}

fn scalar_family(s: ScalarType) -> ColumnType {
    match s {
        ScalarType::String => ColumnType::String,
        ScalarType::Int => ColumnType::Int,
        ScalarType::BigInt => ColumnType::BigInt,
        ScalarType::Float => ColumnType::Float,
        ScalarType::Decimal => ColumnType::Decimal,
        ScalarType::Boolean => ColumnType::Boolean,
        ScalarType::DateTime => ColumnType::DateTime,
        ScalarType::Json => ColumnType::Json,
        ScalarType::Bytes => ColumnType::Bytes,
    }
}

/// The database type of a scalar: its `@db.*` type when given, else Prisma's default mapping.
pub fn native_type(dialect: Dialect, scalar: ScalarType, given: Option<&NativeType>) -> String {
    given
        .and_then(|n| given_native_type(dialect, scalar, n))
        .unwrap_or_else(|| default_type(dialect, scalar).to_owned())
}

/// The default type of a column family, for columns that carry no native type.
pub fn family_type(dialect: Dialect, ty: &ColumnType) -> &'static str {
    let scalar = match ty {
        ColumnType::String | ColumnType::Enum(_) | ColumnType::Unsupported => ScalarType::String,
        ColumnType::Int => ScalarType::Int,
        ColumnType::BigInt => ScalarType::BigInt,
        ColumnType::Float => ScalarType::Float,
        ColumnType::Decimal => ScalarType::Decimal,
        ColumnType::Boolean => ScalarType::Boolean,
        ColumnType::DateTime => ScalarType::DateTime,
        ColumnType::Json => ScalarType::Json,
        ColumnType::Bytes => ScalarType::Bytes,
    };
    default_type(dialect, scalar)
}

fn default_type(dialect: Dialect, s: ScalarType) -> &'static str {
    use ScalarType as S;
    match dialect {
        Dialect::Postgres => match s {
            S::String => "TEXT",
            S::Int => "INTEGER",
            S::BigInt => "BIGINT",
            S::Float => "DOUBLE PRECISION",
            S::Decimal => "DECIMAL(65,30)",
            S::Boolean => "BOOLEAN",
            S::DateTime => "TIMESTAMP(3)",
            S::Json => "JSONB",
            S::Bytes => "BYTEA",
        },
        Dialect::Sqlite => match s {
            S::String => "TEXT",
            S::Int => "INTEGER",
            S::BigInt => "BIGINT",
            S::Float => "REAL",
            S::Decimal => "DECIMAL",
            S::Boolean => "BOOLEAN",
            S::DateTime => "DATETIME",
            S::Json => "JSONB",
            S::Bytes => "BLOB",
        },
        Dialect::Mysql => match s {
            S::String => "VARCHAR(191)",
            S::Int => "INTEGER",
            S::BigInt => "BIGINT",
            S::Float => "DOUBLE",
            S::Decimal => "DECIMAL(65, 30)",
            S::Boolean => "BOOLEAN",
            S::DateTime => "DATETIME(3)",
            S::Json => "JSON",
            S::Bytes => "LONGBLOB",
        },
    }
}

/// `@db.VarChar(255)` → `VARCHAR(255)`, spelled from the provider's table of native types
/// ([`orm_schema::provider::NativeTypeSpec`]). `None` for a type the dialect does not know, or
/// arguments that are not plain numbers (nothing but digits ever reaches the SQL text).
///
/// Arguments the database fills in when they are left out are written out (`@db.Char` is
/// `CHAR(1)`, MySQL's `@db.DateTime` is `DATETIME(0)`), because that is what its catalog
/// reports: one type, one spelling, so an introspected database diffs clean.
fn given_native_type(dialect: Dialect, scalar: ScalarType, n: &NativeType) -> Option<String> {
    if !n.args.iter().all(|a| !a.is_empty() && a.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let spec = provider_of(dialect).capabilities().native_type(&n.name)?;
    let base = match (dialect, spec.name, scalar) {
        // A `Boolean` in a `TINYINT` is what MySQL calls `BOOLEAN` (`TINYINT(1)`).
        (Dialect::Mysql, "TinyInt", ScalarType::Boolean) => "BOOLEAN",
        _ => spec.sql,
    };
    let separator = if dialect == Dialect::Mysql { ", " } else { "," };
    let args: Vec<&str> = n.args.iter().map(String::as_str).collect();
    let filled: &[&str] = match (dialect, base, args.as_slice()) {
        (_, "CHAR" | "BIT", []) | (Dialect::Mysql, "BINARY", []) => &["1"],
        (Dialect::Mysql, "DECIMAL", []) => &["10", "0"],
        (_, "DECIMAL", [p]) => &[p, "0"],
        (Dialect::Mysql, "DATETIME" | "TIMESTAMP" | "TIME", []) => &["0"],
        _ => &args,
    };
    if filled.is_empty() {
        return Some(base.to_owned());
    }
    // MySQL's unsigned types take no arguments, so the suffix never meets a parenthesis.
    Some(format!("{base}({})", filled.join(separator)))
}

/// The database name of an operator class: `raw("…")` as given, Prisma's names in snake case
/// (`JsonbPathOps` → `jsonb_path_ops`, `Int4MinMaxOps` → `int4_minmax_ops`). Whether it is
/// the default of the index method (`method`, as written in `type:`) for the column's type is
/// known for Prisma's names: `ArrayOps` and `JsonbOps` under GIN, `InetOps` and `TextOps` under
/// SP-GiST, min-max and inclusion classes under BRIN.
fn operator_class(ops: &OperatorClass, method: Option<&str>) -> DbOperatorClass {
    let named = match ops {
        OperatorClass::Raw(name) => return DbOperatorClass { name: name.clone(), is_default: false },
        OperatorClass::Named(named) => named,
    };
    let mut words: Vec<String> = Vec::new();
    for c in named.chars() {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c.to_ascii_lowercase()),
            _ => words.push(c.to_ascii_lowercase().to_string()),
        }
    }
    // Words PostgreSQL writes as one.
    let mut merged: Vec<String> = Vec::new();
    for word in words {
        match (merged.last_mut(), word.as_str()) {
            (Some(last), "max") if last == "min" => last.push_str("max"),
            (Some(last), "tz") if last == "timestamp" || last == "time" => last.push_str("tz"),
            (Some(last), "bit") if last == "var" => last.push_str("bit"),
            (Some(last), w) if last == "mac" && w.starts_with("addr") => last.push_str(w),
            _ => merged.push(word),
        }
    }
    let name = merged.join("_");
    let is_default = match method {
        Some("Gin") => matches!(named.as_str(), "ArrayOps" | "JsonbOps"),
        Some("SpGist") => matches!(named.as_str(), "InetOps" | "TextOps"),
        Some("Brin") => name.ends_with("_minmax_ops") || name.ends_with("_inclusion_ops"),
        _ => false,
    };
    DbOperatorClass { name, is_default }
}

fn index_algorithm(written: &str) -> Option<IndexAlgorithm> {
    Some(match written {
        "BTree" => IndexAlgorithm::BTree,
        "Hash" => IndexAlgorithm::Hash,
        "Gist" => IndexAlgorithm::Gist,
        "Gin" => IndexAlgorithm::Gin,
        "SpGist" => IndexAlgorithm::SpGist,
        "Brin" => IndexAlgorithm::Brin,
        _ => return None,
    })
}

fn sort_order(s: Option<SchemaSortOrder>) -> Option<SortOrder> {
    s.map(|s| match s {
        SchemaSortOrder::Asc => SortOrder::Asc,
        SchemaSortOrder::Desc => SortOrder::Desc,
    })
}

fn action(a: ReferentialAction) -> ForeignKeyAction {
    match a {
        ReferentialAction::Cascade => ForeignKeyAction::Cascade,
        ReferentialAction::Restrict => ForeignKeyAction::Restrict,
        ReferentialAction::NoAction => ForeignKeyAction::NoAction,
        ReferentialAction::SetNull => ForeignKeyAction::SetNull,
        ReferentialAction::SetDefault => ForeignKeyAction::SetDefault,
    }
}

/// A literal `@default(…)` as a typed value for the column's type; `None` when it cannot be
/// one (validation reports those).
fn literal_default(schema: &Schema, field: &Field, ty: &ColumnType, lit: &Literal) -> Option<DefaultValue> {
    Some(match lit {
        Literal::List(items) => {
            DefaultValue::List(items.iter().map(|i| literal_default(schema, field, ty, i)).collect::<Option<_>>()?)
        }
        Literal::Boolean(b) => DefaultValue::Boolean(*b),
        Literal::Number(n) if is_sql_number(n) => DefaultValue::Number(n.clone()),
        Literal::Number(n) => DefaultValue::String(n.clone()),
        Literal::Enum(name) => {
            let FieldType::Enum(id) = field.ty else { return None };
            let (_, e) = schema.enums.get_index(id.0)?;
            DefaultValue::Enum(e.values.get(name)?.db_name.clone())
        }
        Literal::String(s) => match ty {
            ColumnType::Bytes => DefaultValue::Bytes(orm_schema::bytes::decode(s)?),
            ColumnType::DateTime => DefaultValue::DateTime(ddl_datetime(s)),
            ColumnType::Json => DefaultValue::Json(s.clone()),
            _ => DefaultValue::String(s.clone()),
        },
    })
}

/// `-?digits[.digits][e[+-]digits]`: safe to write into SQL as it is.
pub fn is_sql_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// An RFC 3339 timestamp as Prisma writes it into DDL: `2020-01-01T10:11:12.345+02:00` →
/// `2020-01-01 10:11:12.345 +02:00` (`Z` becomes `+00:00`). Anything else is kept as written.
/// `db pull` inverts it by trying candidates through it.
pub(crate) fn ddl_datetime(s: &str) -> String {
    let Some((date, time)) = s.split_once(['T', 't']) else { return s.to_owned() };
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, "+00:00".to_owned())
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], time[i..].to_owned())
    } else {
        return s.to_owned();
    };
    format!("{date} {clock} {offset}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_names_are_cut_to_the_identifier_limit() {
        let long = "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore";
        let cols = ["someVeryLongColumnNameNumberOne", "someVeryLongColumnNameNumberTwo"];
        assert_eq!(
            constraint_name(Dialect::Postgres, long, &cols, "_key"),
            "VeryLongModelNameThatGoesOnAndOnAndOnForeverMoreAndMore_som_key"
        );
        assert!(constraint_name(Dialect::Sqlite, long, &cols, "_key").ends_with("NumberTwo_key"));
        assert_eq!(constraint_name(Dialect::Postgres, "User", &[], "_pkey"), "User_pkey");
        // Never cuts inside a character.
        let name = constraint_name(Dialect::Postgres, &"é".repeat(40), &[], "_pkey");
        assert!(name.len() <= 63 && name.ends_with("_pkey"));
    }

    #[test]
    fn operator_classes_have_postgres_names() {
        let named = |n: &str, method| operator_class(&OperatorClass::Named(n.to_owned()), method);
        assert_eq!(
            named("JsonbPathOps", Some("Gin")),
            DbOperatorClass { name: "jsonb_path_ops".into(), is_default: false }
        );
        assert_eq!(named("ArrayOps", Some("Gin")), DbOperatorClass { name: "array_ops".into(), is_default: true });
        assert_eq!(named("Int4MinMaxOps", Some("Brin")).name, "int4_minmax_ops");
        assert!(named("Int4MinMaxOps", Some("Brin")).is_default);
        assert_eq!(named("TimestampTzMinMaxMultiOps", Some("Brin")).name, "timestamptz_minmax_multi_ops");
        assert!(!named("TimestampTzMinMaxMultiOps", Some("Brin")).is_default);
        assert_eq!(named("VarBitMinMaxOps", Some("Brin")).name, "varbit_minmax_ops");
        assert_eq!(named("MacAddr8BloomOps", Some("Brin")).name, "macaddr8_bloom_ops");
        assert!(!named("InetOps", Some("Gist")).is_default);
        let raw = operator_class(&OperatorClass::Raw("gin_trgm_ops".into()), Some("Gin"));
        assert_eq!(raw, DbOperatorClass { name: "gin_trgm_ops".into(), is_default: false });
    }

    #[test]
    fn numbers_and_timestamps() {
        assert!(is_sql_number("-2") && is_sql_number("2.50") && is_sql_number("1e-3"));
        assert!(!is_sql_number("1; DROP") && !is_sql_number("") && !is_sql_number(".5") && !is_sql_number("-"));
        assert_eq!(ddl_datetime("2020-01-01T00:00:00Z"), "2020-01-01 00:00:00 +00:00");
        assert_eq!(ddl_datetime("2020-01-01T10:11:12.345+02:00"), "2020-01-01 10:11:12.345 +02:00");
        assert_eq!(ddl_datetime("garbage"), "garbage");
    }
}
