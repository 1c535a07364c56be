//! [`DbSchema`] → schema file: the pure half of `orm db pull`.
//!
//! The output re-creates the database it was read from: for every `db` that
//! [`from_schema_for`](crate::db_schema::from_schema_for) can produce, `from_schema_for(check(out))`
//! is `db` again (tables may come in another order). So every rule here is the inverse of one in
//! `db_schema.rs`: a name, type, default or constraint name is written only where the default
//! rule would give something else (`@map`, `@db.*`, `map:`, `onDelete:` …).
//!
//! Like `prisma db pull`: models are named after tables and fields after columns (sanitised,
//! with `@@map` / `@map` when that changes them); foreign keys become a relation field on the
//! child and a back-relation (a list, or optional when the key's columns are unique) on the
//! parent, named when two models share several relations; `_AToB` join tables as
//! `from_schema` creates them become list fields on both models; a table without a unique
//! criterion is `@@ignore`d. What the schema language cannot say is left out rather than written
//! invalid: a foreign key whose columns do not match a unique criterion of the same types, a
//! native type `orm` does not know (the column becomes `Unsupported("…")`), a constraint name the
//! provider cannot set. The text goes through [`orm_schema::format::format_file`], so it is what
//! `orm format` would write.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use heck::ToUpperCamelCase;
use orm_db_schema::{
    Column, ColumnArity, ColumnDefault, ColumnType, DbSchema, DefaultValue, Dialect, ForeignKey, ForeignKeyAction,
    Index, IndexAlgorithm, IndexColumn, IndexKind, PrimaryKey, SortOrder, Table, stored_datetime,
};
use orm_schema::{Diagnostics, FileId, NativeType, ScalarType, Span};

use crate::db_schema::{constraint_name, ddl_datetime, family_type, is_sql_number, native_type, provider_of};

/// The schema file that re-creates `db` on `dialect`: a datasource block (provider from dialect,
/// `url = env("DATABASE_URL")`), a generator block (`generator client { provider = "orm" }`),
/// then enums and models, formatted as `orm format` writes it. Never panics.
pub fn schema_from_db(db: &DbSchema, dialect: Dialect) -> String {
    let text = Pull::new(db, dialect).render();
    let mut diagnostics = Diagnostics::default();
    let ast = orm_schema::parser::parse(&text, FileId(0), &mut diagnostics);
    orm_schema::format::format_file(&ast, &text, &[])
}

// ---- the plan ----------------------------------------------------------------------------------

/// Everything decided before printing.
struct Pull<'a> {
    dialect: Dialect,
    tables: &'a [Table],
    enums: Vec<EnumOut>,
    /// The schema type of each column, by table and column position.
    types: Vec<Vec<FieldTy>>,
    /// The model of each table; `None` for implicit many-to-many join tables.
    model_of_table: Vec<Option<usize>>,
    models: Vec<ModelOut<'a>>,
}

struct EnumOut {
    name: String,
    /// `@@map`: the database name, when it is not `name`.
    map: Option<String>,
    /// (name, database value).
    values: Vec<(String, String)>,
}

/// A column's type in the schema.
#[derive(Debug, Clone, PartialEq)]
enum FieldTy {
    /// A scalar and its `@db.*` attribute (without the `@db.`), when not the default.
    Scalar(ScalarType, Option<String>),
    Enum(usize),
    Unsupported(String),
}

struct ModelOut<'a> {
    /// The table's position in the database.
    t: usize,
    table: &'a Table,
    name: String,
    /// Field name per column.
    fields: Vec<String>,
    taken: HashSet<String>,
    /// FK-holding relation fields first (in foreign-key order), then the others.
    relations: Vec<RelationField>,
    /// The foreign keys that became relations (what `from_schema` will give back).
    emitted_fks: Vec<&'a ForeignKey>,
    ignored: bool,
}

struct RelationField {
    name: String,
    target: usize,
    /// `""`, `"?"` or `"[]"`.
    suffix: &'static str,
    relation_name: Option<String>,
    fk: Option<FkArgs>,
}

struct FkArgs {
    fields: Vec<String>,
    references: Vec<String>,
    on_delete: Option<ForeignKeyAction>,
    on_update: Option<ForeignKeyAction>,
    map: Option<String>,
}

/// A relation to write, before its fields are named.
enum Rel<'a> {
    Fk {
        child: usize,
        parent: usize,
        fk: &'a ForeignKey,
        columns: Vec<usize>,
        referenced: Vec<usize>,
        required: bool,
        one_to_one: bool,
    },
    ManyToMany {
        a: usize,
        b: usize,
        name: String,
    },
}

impl<'a> Pull<'a> {
    fn new(db: &'a DbSchema, dialect: Dialect) -> Pull<'a> {
        let mut pull = Pull {
            dialect,
            tables: &db.tables,
            enums: Vec::new(),
            types: Vec::new(),
            model_of_table: vec![None; db.tables.len()],
            models: Vec::new(),
        };
        // Models first: they own the plain table names; enums give way. A join table whose
        // relation the schema cannot state (see `join_shape`) is a model of its own.
        let joins: Vec<Option<(usize, usize, String)>> = (0..db.tables.len()).map(|t| pull.join_shape(t)).collect();
        let mut top_names: HashSet<String> = HashSet::new();
        let mut names: Vec<Option<String>> = vec![None; db.tables.len()];
        for (t, join) in joins.iter().enumerate() {
            if join.is_none() {
                names[t] = Some(model_name(&db.tables[t], &mut top_names));
            }
        }
        let mut join_tables = Vec::new();
        for (t, join) in joins.into_iter().enumerate() {
            let Some((a, b, name)) = join else { continue };
            let referenced = db
                .tables
                .iter()
                .any(|other| other.foreign_keys.iter().any(|fk| fk.referenced_table == db.tables[t].name));
            match (&names[a], &names[b]) {
                // `A` is the model whose name sorts first, as `from_schema` decides it.
                (Some(name_a), Some(name_b)) if name_a <= name_b && !referenced => join_tables.push((a, b, name)),
                _ => names[t] = Some(model_name(&db.tables[t], &mut top_names)),
            }
        }
        for (t, name) in names.into_iter().enumerate() {
            if let Some(name) = name {
                pull.add_model(t, name);
            }
        }
        let many_to_many: Vec<Rel<'a>> = join_tables
            .into_iter()
            .filter_map(|(a, b, name)| {
                Some(Rel::ManyToMany { a: pull.model_of_table[a]?, b: pull.model_of_table[b]?, name })
            })
            .collect();
        pull.plan_enums(db, &mut top_names);
        pull.types = (0..db.tables.len())
            .map(|t| (0..db.tables[t].columns.len()).map(|c| pull.field_type(db, t, c)).collect())
            .collect();
        for m in 0..pull.models.len() {
            pull.name_scalar_fields(m);
        }
        let mut rels = pull.foreign_key_relations();
        rels.extend(many_to_many);
        for m in 0..pull.models.len() {
            let table = pull.models[m].table;
            pull.models[m].ignored = !has_unique_criterion(table);
        }
        pull.add_relation_fields(&rels);
        pull
    }

    fn add_model(&mut self, t: usize, name: String) {
        self.model_of_table[t] = Some(self.models.len());
        self.models.push(ModelOut {
            t,
            table: &self.tables[t],
            name,
            fields: Vec::new(),
            taken: HashSet::new(),
            relations: Vec::new(),
            emitted_fks: Vec::new(),
            ignored: false,
        });
    }

    fn table_index(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }

    /// `(A's table, B's table, relation name)` when table `t` is exactly the join table
    /// `from_schema` creates for an implicit many-to-many relation.
    fn join_shape(&self, t: usize) -> Option<(usize, usize, String)> {
        let table = &self.tables[t];
        let relation = table.name.strip_prefix('_').filter(|r| !r.is_empty())?;
        if self.table_index(&table.name) != Some(t) {
            return None;
        }
        let [col_a, col_b] = table.columns.as_slice() else { return None };
        if col_a.name != "A" || col_b.name != "B" {
            return None;
        }
        let [fk_a, fk_b] = table.foreign_keys.as_slice() else { return None };
        let side = |col: &Column, fk: &ForeignKey| -> Option<usize> {
            let target = self.table_index(&fk.referenced_table)?;
            let target_table = &self.tables[target];
            let pk = target_table.primary_key.as_ref()?;
            let [pk_col] = pk.columns.as_slice() else { return None };
            let pk_column = target_table.column(&pk_col.name)?;
            let scalar = !matches!(pk_column.ty, ColumnType::Enum(_) | ColumnType::Unsupported);
            let ok = scalar
                && col.ty == pk_column.ty
                && col.native_type == pk_column.native_type
                && col.arity == ColumnArity::Required
                && col.default.is_none()
                && fk.name.as_deref() == Some(&format!("{}_{}_fkey", table.name, col.name))
                && fk.columns == [col.name.clone()]
                && fk.referenced_columns == [pk_column.name.clone()]
                && fk.on_delete == ForeignKeyAction::Cascade
                && fk.on_update == ForeignKeyAction::Cascade
                && target != t;
            ok.then_some(target)
        };
        let a = side(col_a, fk_a)?;
        let b = side(col_b, fk_b)?;
        let ab = vec![IndexColumn::new("A"), IndexColumn::new("B")];
        let b_index = Index {
            name: format!("{}_B_index", table.name),
            kind: IndexKind::Normal,
            columns: vec![IndexColumn::new("B")],
            algorithm: None,
        };
        let shape_ok = if self.dialect == Dialect::Postgres {
            table.primary_key == Some(PrimaryKey { name: Some(format!("{}_AB_pkey", table.name)), columns: ab })
                && table.indexes == [b_index]
        } else {
            let unique = Index {
                name: format!("{}_AB_unique", table.name),
                kind: IndexKind::Unique,
                columns: ab,
                algorithm: None,
            };
            table.primary_key.is_none() && table.indexes == [unique, b_index]
        };
        shape_ok.then(|| (a, b, relation.to_owned()))
    }

    /// PostgreSQL enums as they are; MySQL's per-column enums merged by value list (the names
    /// are not in the database); none on SQLite.
    fn plan_enums(&mut self, db: &DbSchema, top_names: &mut HashSet<String>) {
        let mut push = |enums: &mut Vec<EnumOut>, db_name: &str, values: &[String], map: bool| {
            let name = unique_name(&sanitize(db_name, "Enum"), "Enum", top_names, is_valid_type_name);
            let mut taken = HashSet::new();
            let values = values
                .iter()
                .map(|v| (unique_name(&sanitize(v, "VALUE"), "_", &mut taken, is_valid_enum_value), v.clone()))
                .collect();
            let map = (map && name != db_name).then(|| db_name.to_owned());
            enums.push(EnumOut { name, map, values });
        };
        match self.dialect {
            Dialect::Postgres => {
                for e in &db.enums {
                    push(&mut self.enums, &e.name, &e.values, true);
                }
            }
            Dialect::Mysql => {
                let mut seen: Vec<&[String]> = Vec::new();
                for m in &self.models {
                    for c in &m.table.columns {
                        let ColumnType::Enum(name) = &c.ty else { continue };
                        let Some(e) = db.enum_(name) else { continue };
                        if !seen.contains(&e.values.as_slice()) {
                            seen.push(&e.values);
                            push(&mut self.enums, &e.name, &e.values, false);
                        }
                    }
                }
            }
            Dialect::Sqlite => {}
        }
    }

    fn field_type(&self, db: &DbSchema, t: usize, c: usize) -> FieldTy {
        let column = &self.tables[t].columns[c];
        let unsupported = || FieldTy::Unsupported(column.native_type.clone().unwrap_or_default());
        let scalar = match &column.ty {
            ColumnType::Enum(name) => {
                let Some(e) = db.enum_(name) else { return unsupported() };
                let found = match self.dialect {
                    Dialect::Postgres => db.enums.iter().position(|x| x.name == *name),
                    Dialect::Mysql => self.enums.iter().position(|x| {
                        x.values.len() == e.values.len() && x.values.iter().zip(&e.values).all(|(v, w)| v.1 == *w)
                    }),
                    Dialect::Sqlite => None,
                };
                return found.map_or_else(unsupported, FieldTy::Enum);
            }
            ColumnType::Unsupported => return unsupported(),
            ColumnType::String => ScalarType::String,
            ColumnType::Int => ScalarType::Int,
            ColumnType::BigInt => ScalarType::BigInt,
            ColumnType::Float => ScalarType::Float,
            ColumnType::Decimal => ScalarType::Decimal,
            ColumnType::Boolean => ScalarType::Boolean,
            ColumnType::DateTime => ScalarType::DateTime,
            ColumnType::Json => ScalarType::Json,
            ColumnType::Bytes => ScalarType::Bytes,
        };
        let Some(native) = &column.native_type else { return FieldTy::Scalar(scalar, None) };
        if native.as_str() == family_type(self.dialect, &column.ty) {
            return FieldTy::Scalar(scalar, None);
        }
        match native_attribute(self.dialect, scalar, native) {
            Some(attr) => FieldTy::Scalar(scalar, Some(attr)),
            // SQLite keeps any type name and Prisma has no `@db.*` for it: the scalar it is.
            None if self.dialect == Dialect::Sqlite => FieldTy::Scalar(scalar, None),
            None => unsupported(),
        }
    }

    fn name_scalar_fields(&mut self, m: usize) {
        let model = &mut self.models[m];
        for column in &model.table.columns {
            let name = unique_name(&sanitize(&column.name, "field"), "Field", &mut model.taken, is_valid_field_name);
            model.fields.push(name);
        }
    }

    /// The foreign keys the schema language can state, in table and key order.
    fn foreign_key_relations(&self) -> Vec<Rel<'a>> {
        let mut rels = Vec::new();
        for (child, model) in self.models.iter().enumerate() {
            let t = model.t;
            for fk in &model.table.foreign_keys {
                let Some(parent_t) = self.table_index(&fk.referenced_table) else { continue };
                let Some(parent) = self.model_of_table[parent_t] else { continue };
                let parent_table = self.models[parent].table;
                let columns: Option<Vec<usize>> =
                    fk.columns.iter().map(|c| model.table.columns.iter().position(|x| x.name == *c)).collect();
                let referenced: Option<Vec<usize>> = fk
                    .referenced_columns
                    .iter()
                    .map(|c| parent_table.columns.iter().position(|x| x.name == *c))
                    .collect();
                let (Some(columns), Some(referenced)) = (columns, referenced) else { continue };
                if columns.is_empty() || columns.len() != referenced.len() || has_duplicates(&columns) {
                    continue;
                }
                let same_types = columns.iter().zip(&referenced).all(|(c, r)| {
                    let (local, remote) = (&model.table.columns[*c], &parent_table.columns[*r]);
                    local.arity != ColumnArity::List
                        && remote.arity != ColumnArity::List
                        && same_kind(&self.types[t][*c], &self.types[parent_t][*r])
                });
                if !same_types || !is_unique_criterion(parent_table, &fk.referenced_columns) {
                    continue;
                }
                let required = columns.iter().all(|c| model.table.columns[*c].arity == ColumnArity::Required);
                let one_to_one = is_unique_criterion(model.table, &fk.columns);
                rels.push(Rel::Fk { child, parent, fk, columns, referenced, required, one_to_one });
            }
        }
        rels
    }

    /// Names relations and their fields: FK-holding fields first (they keep the best names),
    /// then back-relations and many-to-many lists.
    fn add_relation_fields(&mut self, rels: &[Rel<'a>]) {
        let pair = |a: usize, b: usize| (a.min(b), a.max(b));
        let mut per_pair: HashMap<(usize, usize), usize> = HashMap::new();
        for rel in rels {
            let key = match rel {
                Rel::Fk { child, parent, .. } => pair(*child, *parent),
                Rel::ManyToMany { a, b, .. } => pair(*a, *b),
            };
            *per_pair.entry(key).or_default() += 1;
        }
        // Relation names in use per model pair; many-to-many names are fixed by their tables.
        let mut used_names: HashMap<(usize, usize), HashSet<String>> = HashMap::new();
        for rel in rels {
            if let Rel::ManyToMany { a, b, name } = rel {
                used_names.entry(pair(*a, *b)).or_default().insert(name.clone());
            }
        }
        let mut child_fields = Vec::new();
        for rel in rels {
            let Rel::Fk { child, parent, fk, columns, referenced, required, .. } = rel else {
                child_fields.push(None);
                continue;
            };
            let (child, parent) = (*child, *parent);
            let ambiguous = per_pair[&pair(child, parent)] > 1 || child == parent;
            let relation_name = ambiguous.then(|| {
                let names = used_names.entry(pair(child, parent)).or_default();
                let base = if per_pair[&pair(child, parent)] == 1 {
                    orm_schema::default_relation_name(&self.models[child].name, &self.models[parent].name)
                } else {
                    let cols: Vec<&str> = columns.iter().map(|c| self.models[child].fields[*c].as_str()).collect();
                    format!("{}_{}To{}", self.models[child].name, cols.join("_"), self.models[parent].name)
                };
                unique_name(&base, "_", names, |_| true)
            });
            // The key's role: `author` for `authorId`, else its fields (`created_by`).
            let stem = match columns.as_slice() {
                [single] => strip_id_suffix(&self.models[child].fields[*single]).filter(|s| is_valid_field_name(s)),
                _ => None,
            };
            let role = stem.clone().unwrap_or_else(|| {
                columns.iter().map(|c| self.models[child].fields[*c].as_str()).collect::<Vec<_>>().join("_")
            });
            let parent_name = lower_first(&self.models[parent].name);
            let base = match stem {
                Some(stem) => stem,
                None if ambiguous => join_words(&role, &parent_name),
                None => parent_name,
            };
            let default_on_delete = if *required { ForeignKeyAction::Restrict } else { ForeignKeyAction::SetNull };
            let default_name = {
                let cols: Vec<&str> = fk.columns.iter().map(String::as_str).collect();
                constraint_name(self.dialect, &self.models[child].table.name, &cols, "_fkey")
            };
            let named_keys = provider_of(self.dialect).capabilities().named_foreign_keys;
            let args = FkArgs {
                fields: columns.iter().map(|c| self.models[child].fields[*c].clone()).collect(),
                references: referenced.iter().map(|r| self.models[parent].fields[*r].clone()).collect(),
                on_delete: (fk.on_delete != default_on_delete).then_some(fk.on_delete),
                on_update: (fk.on_update != ForeignKeyAction::Cascade).then_some(fk.on_update),
                map: fk.name.clone().filter(|n| named_keys && *n != default_name),
            };
            let model = &mut self.models[child];
            let name = unique_name(&sanitize(&base, "relation"), "Relation", &mut model.taken, is_valid_field_name);
            model.emitted_fks.push(fk);
            model.relations.push(RelationField {
                name: name.clone(),
                target: parent,
                suffix: if *required { "" } else { "?" },
                relation_name: relation_name.clone(),
                fk: Some(args),
            });
            child_fields.push(Some((relation_name, role)));
        }
        for (rel, child_field) in rels.iter().zip(child_fields) {
            match rel {
                Rel::Fk { child, parent, one_to_one, .. } => {
                    let (relation_name, role) = child_field.unwrap_or_default();
                    let ambiguous = per_pair[&pair(*child, *parent)] > 1 || child == parent;
                    let child_name = &self.models[*child].name;
                    let base = if *one_to_one { lower_first(child_name) } else { plural(&lower_first(child_name)) };
                    // `parentComments`, `dashboards_created_by`.
                    let base = match ambiguous {
                        true if role.contains('_') || base.contains('_') => format!("{base}_{role}"),
                        true => join_words(&role, &base),
                        false => base,
                    };
                    self.push_list_side(*parent, *child, &base, if *one_to_one { "?" } else { "[]" }, relation_name);
                }
                Rel::ManyToMany { a, b, name } => {
                    let (a, b) = (*a, *b);
                    let count = per_pair[&pair(a, b)];
                    let default = orm_schema::default_relation_name(&self.models[a].name, &self.models[b].name);
                    let relation_name = (count > 1 || a == b || *name != default).then(|| name.clone());
                    if a == b {
                        let base = lower_first(name);
                        self.push_list_side(a, a, &format!("{base}A"), "[]", relation_name.clone());
                        self.push_list_side(a, a, &format!("{base}B"), "[]", relation_name);
                        continue;
                    }
                    let suffix = if count > 1 { name.to_upper_camel_case() } else { String::new() };
                    let on_a = format!("{}{suffix}", plural(&lower_first(&self.models[b].name)));
                    let on_b = format!("{}{suffix}", plural(&lower_first(&self.models[a].name)));
                    self.push_list_side(a, b, &on_a, "[]", relation_name.clone());
                    self.push_list_side(b, a, &on_b, "[]", relation_name);
                }
            }
        }
    }

    fn push_list_side(
        &mut self,
        on: usize,
        target: usize,
        base: &str,
        suffix: &'static str,
        relation_name: Option<String>,
    ) {
        let model = &mut self.models[on];
        let name = unique_name(&sanitize(base, "relation"), "Relation", &mut model.taken, is_valid_field_name);
        model.relations.push(RelationField { name, target, suffix, relation_name, fk: None });
    }

    // ---- printing -------------------------------------------------------------------------------

    fn render(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "datasource db {{\n  provider = {}\n  url = env(\"DATABASE_URL\")\n}}\n\ngenerator client {{\n  provider = \"orm\"\n}}\n",
            quote(self.dialect.provider())
        );
        for e in &self.enums {
            let _ = writeln!(out, "\nenum {} {{", e.name);
            for (name, value) in &e.values {
                if name == value {
                    let _ = writeln!(out, "  {name}");
                } else {
                    let _ = writeln!(out, "  {name} @map({})", quote(value));
                }
            }
            if let Some(map) = &e.map {
                let _ = writeln!(out, "\n  @@map({})", quote(map));
            }
            out.push_str("}\n");
        }
        for m in 0..self.models.len() {
            self.render_model(m, &mut out);
        }
        out
    }

    fn render_model(&self, m: usize, out: &mut String) {
        let model = &self.models[m];
        let table = model.table;
        let t = model.t;
        let mut field_attrs: Vec<Vec<String>> = vec![Vec::new(); table.columns.len()];
        let mut block_attrs: Vec<String> = Vec::new();
        self.primary_key(m, &mut field_attrs, &mut block_attrs);
        self.indexes(m, &mut field_attrs, &mut block_attrs);

        out.push('\n');
        if !table.unmanaged.is_empty() {
            // Partial and expression indexes, triggers: said, so nobody thinks them lost.
            let objects: Vec<String> = table
                .unmanaged
                .iter()
                .map(|u| match u.kind {
                    orm_db_schema::UnmanagedKind::Index => format!("index `{}`", u.name),
                    orm_db_schema::UnmanagedKind::Trigger => format!("trigger `{}`", u.name),
                })
                .collect();
            let _ = writeln!(
                out,
                "// The database also has {} on this table, which the schema can't describe; migrations keep {}.",
                objects.join(", "),
                if objects.len() == 1 { "it" } else { "them" }
            );
        }
        let _ = writeln!(out, "model {} {{", model.name);
        for (c, column) in table.columns.iter().enumerate() {
            let (ty, native) = match &self.types[t][c] {
                FieldTy::Scalar(s, native) => (s.as_str().to_owned(), native.clone()),
                FieldTy::Enum(e) => (self.enums[*e].name.clone(), None),
                FieldTy::Unsupported(n) => (format!("Unsupported({})", quote(n)), None),
            };
            let suffix = match column.arity {
                ColumnArity::Required => "",
                ColumnArity::Nullable => "?",
                ColumnArity::List => "[]",
            };
            let mut attrs = std::mem::take(&mut field_attrs[c]);
            if let Some(default) = self.default(t, c) {
                attrs.push(format!("@default({default})"));
            }
            if model.fields[c] != column.name {
                attrs.push(format!("@map({})", quote(&column.name)));
            }
            if let Some(native) = native {
                attrs.push(format!("@db.{native}"));
            }
            let _ = writeln!(out, "  {} {ty}{suffix} {}", model.fields[c], attrs.join(" "));
        }
        for r in &model.relations {
            let target = &self.models[r.target];
            let mut args = Vec::new();
            if let Some(name) = &r.relation_name {
                args.push(quote(name));
            }
            if let Some(fk) = &r.fk {
                args.push(format!("fields: [{}]", fk.fields.join(", ")));
                args.push(format!("references: [{}]", fk.references.join(", ")));
                if let Some(a) = fk.on_delete {
                    args.push(format!("onDelete: {}", action(a)));
                }
                if let Some(a) = fk.on_update {
                    args.push(format!("onUpdate: {}", action(a)));
                }
                if let Some(map) = &fk.map {
                    args.push(format!("map: {}", quote(map)));
                }
            }
            let mut attrs = String::new();
            if !args.is_empty() {
                let _ = write!(attrs, " @relation({})", args.join(", "));
            }
            if target.ignored {
                attrs.push_str(" @ignore");
            }
            let _ = writeln!(out, "  {} {}{}{attrs}", r.name, target.name, r.suffix);
        }
        if model.name != table.name {
            block_attrs.push(format!("@@map({})", quote(&table.name)));
        }
        if model.ignored {
            block_attrs.push("@@ignore".to_owned());
        }
        if !block_attrs.is_empty() {
            out.push('\n');
        }
        for attr in block_attrs {
            let _ = writeln!(out, "  {attr}");
        }
        out.push_str("}\n");
    }

    fn column_position(&self, m: usize, name: &str) -> Option<usize> {
        self.models[m].table.columns.iter().position(|c| c.name == name)
    }

    fn primary_key(&self, m: usize, field_attrs: &mut [Vec<String>], block_attrs: &mut Vec<String>) {
        let model = &self.models[m];
        let Some(pk) = &model.table.primary_key else { return };
        let Some(positions) = pk.columns.iter().map(|c| self.column_position(m, &c.name)).collect::<Option<Vec<_>>>()
        else {
            return;
        };
        if positions.is_empty() {
            return;
        }
        let default_name = constraint_name(self.dialect, &model.table.name, &[], "_pkey");
        let map = match self.dialect {
            Dialect::Postgres => pk.name.clone().filter(|n| *n != default_name),
            // Neither keeps a primary key's name.
            Dialect::Sqlite | Dialect::Mysql => None,
        };
        // Only MySQL keeps the sort order of a key's columns.
        let columns: Vec<IndexColumn> = pk
            .columns
            .iter()
            .map(|c| IndexColumn {
                sort: c.sort.filter(|_| self.dialect == Dialect::Mysql),
                length: c.length.filter(|_| self.dialect == Dialect::Mysql),
                operator_class: c.operator_class.clone().filter(|_| self.dialect == Dialect::Postgres),
                ..c.clone()
            })
            .collect();
        match (positions.as_slice(), columns.as_slice()) {
            ([position], [column]) if !has_operator_class(column) => {
                let mut args = self.column_arguments(column);
                args.extend(map.map(|m| format!("map: {}", quote(&m))));
                field_attrs[*position].push(attribute("@id", &args));
            }
            _ => {
                let mut args = vec![self.field_list(m, &positions, &columns)];
                args.extend(map.map(|m| format!("map: {}", quote(&m))));
                block_attrs.push(attribute("@@id", &args));
            }
        }
    }

    fn indexes(&self, m: usize, field_attrs: &mut [Vec<String>], block_attrs: &mut Vec<String>) {
        let model = &self.models[m];
        let table = model.table;
        let implicit = self.implicit_foreign_key_indexes(m);
        // `from_schema` orders field `@unique`s (in field order) before every block attribute:
        // a leading run of single-column unique indexes in column order is written that way.
        let mut field_level_open = true;
        let mut last_position = None;
        let mut block_by_kind: [Vec<String>; 3] = Default::default();
        for (i, index) in table.indexes.iter().enumerate() {
            if implicit.contains(&i) {
                continue;
            }
            let Some(positions) =
                index.columns.iter().map(|c| self.column_position(m, &c.name)).collect::<Option<Vec<_>>>()
            else {
                continue;
            };
            if positions.is_empty() {
                continue;
            }
            let columns: Vec<IndexColumn> = index
                .columns
                .iter()
                .map(|c| IndexColumn {
                    length: c.length.filter(|_| self.dialect == Dialect::Mysql),
                    operator_class: c.operator_class.clone().filter(|_| self.dialect == Dialect::Postgres),
                    ..c.clone()
                })
                .collect();
            let (suffix, kind_rank) = match index.kind {
                IndexKind::Unique => ("_key", 1),
                IndexKind::Normal => ("_idx", 0),
                IndexKind::Fulltext => ("_idx", 2),
            };
            let names: Vec<&str> = index.columns.iter().map(|c| c.name.as_str()).collect();
            let map = (index.name != constraint_name(self.dialect, &table.name, &names, suffix))
                .then(|| format!("map: {}", quote(&index.name)));
            let field_level = field_level_open
                && index.kind == IndexKind::Unique
                && index.algorithm.is_none()
                && positions.len() == 1
                && !has_operator_class(&columns[0])
                && last_position.is_none_or(|p| positions[0] > p);
            if field_level {
                last_position = Some(positions[0]);
                let mut args = self.column_arguments(&columns[0]);
                args.extend(map);
                field_attrs[positions[0]].push(attribute("@unique", &args));
                continue;
            }
            field_level_open = false;
            let mut args = vec![self.field_list(m, &positions, &columns)];
            args.extend(map);
            // Only `@@index` takes a `type:` (and only PostgreSQL keeps it).
            if self.dialect == Dialect::Postgres
                && index.kind == IndexKind::Normal
                && let Some(algorithm) = index.algorithm
            {
                args.push(format!("type: {}", algorithm_name(algorithm)));
            }
            let name = match index.kind {
                IndexKind::Unique => "@@unique",
                IndexKind::Normal => "@@index",
                IndexKind::Fulltext => "@@fulltext",
            };
            block_by_kind[kind_rank].push(attribute(name, &args));
        }
        block_attrs.extend(block_by_kind.into_iter().flatten());
    }

    /// `[a, b(sort: Desc)]`.
    fn field_list(&self, m: usize, positions: &[usize], columns: &[IndexColumn]) -> String {
        let items: Vec<String> = positions
            .iter()
            .zip(columns)
            .map(|(p, c)| {
                let args = self.column_arguments(c);
                let name = &self.models[m].fields[*p];
                if args.is_empty() { name.clone() } else { format!("{name}({})", args.join(", ")) }
            })
            .collect();
        format!("[{}]", items.join(", "))
    }

    fn column_arguments(&self, c: &IndexColumn) -> Vec<String> {
        let mut args = Vec::new();
        if c.sort == Some(SortOrder::Desc) {
            args.push("sort: Desc".to_owned());
        }
        if let Some(length) = c.length {
            args.push(format!("length: {length}"));
        }
        if let Some(class) = c.operator_class.as_ref().filter(|o| !o.is_default) {
            args.push(format!("ops: raw({})", quote(&class.name)));
        }
        args
    }

    /// The indexes MySQL's `from_schema` adds by itself for the foreign keys written (InnoDB's
    /// index named like the key), so they are not written again — when leaving them out gives
    /// back the same indexes.
    fn implicit_foreign_key_indexes(&self, m: usize) -> Vec<usize> {
        let model = &self.models[m];
        let table = model.table;
        if self.dialect != Dialect::Mysql {
            return Vec::new();
        }
        let candidates: Vec<usize> = (0..table.indexes.len())
            .filter(|i| {
                let index = &table.indexes[*i];
                index.kind == IndexKind::Normal
                    && index.algorithm.is_none()
                    && model.emitted_fks.iter().any(|fk| {
                        fk.name.as_deref() == Some(&index.name)
                            && index.columns.len() == fk.columns.len()
                            && index
                                .columns
                                .iter()
                                .zip(&fk.columns)
                                .all(|(c, f)| c.name == *f && c.length.is_none() && c.sort != Some(SortOrder::Desc))
                    })
            })
            .collect();
        if candidates.is_empty() {
            return candidates;
        }
        let mut indexes: Vec<Index> =
            table.indexes.iter().enumerate().filter(|(i, _)| !candidates.contains(i)).map(|(_, x)| x.clone()).collect();
        for fk in &model.emitted_fks {
            let Some(name) = &fk.name else { continue };
            let leads = |columns: &[IndexColumn]| {
                columns.len() >= fk.columns.len()
                    && columns.iter().zip(&fk.columns).all(|(c, f)| &c.name == f && c.length.is_none())
            };
            let covered = table.primary_key.as_ref().is_some_and(|pk| leads(&pk.columns))
                || indexes.iter().any(|i| i.kind != IndexKind::Fulltext && leads(&i.columns));
            if !covered {
                indexes.push(Index {
                    name: name.clone(),
                    kind: IndexKind::Normal,
                    columns: fk.columns.iter().map(IndexColumn::new).collect(),
                    algorithm: None,
                });
            }
        }
        let same = indexes.len() == table.indexes.len() && table.indexes.iter().all(|i| indexes.contains(i));
        if same { candidates } else { Vec::new() }
    }

    // ---- defaults -------------------------------------------------------------------------------

    /// The argument of `@default(…)` for a column, when the schema language can say it.
    fn default(&self, t: usize, c: usize) -> Option<String> {
        let table = &self.tables[t];
        let column = &table.columns[c];
        let ty = &self.types[t][c];
        let integer = matches!(ty, FieldTy::Scalar(ScalarType::Int | ScalarType::BigInt, _));
        match column.default.as_ref()? {
            ColumnDefault::Autoincrement => {
                let allowed = match self.dialect {
                    Dialect::Sqlite => table.is_single_primary_key(&column.name),
                    Dialect::Postgres | Dialect::Mysql => true,
                };
                (integer && allowed).then(|| "autoincrement()".to_owned())
            }
            // Prisma reads any sequence default as `autoincrement()`.
            ColumnDefault::Sequence(_) => integer.then(|| "autoincrement()".to_owned()),
            ColumnDefault::Now => matches!(ty, FieldTy::Scalar(ScalarType::DateTime, _)).then(|| "now()".to_owned()),
            ColumnDefault::Expression(e) if !e.trim().is_empty() => Some(format!("dbgenerated({})", quote(e))),
            ColumnDefault::Expression(_) => None,
            ColumnDefault::Value(DefaultValue::List(items)) => {
                if column.arity != ColumnArity::List {
                    return None;
                }
                let items: Option<Vec<String>> = items.iter().map(|v| self.literal(v, ty, column)).collect();
                Some(format!("[{}]", items?.join(", ")))
            }
            ColumnDefault::Value(value) => {
                if column.arity == ColumnArity::List {
                    return None;
                }
                self.literal(value, ty, column)
            }
        }
    }

    fn literal(&self, value: &DefaultValue, ty: &FieldTy, column: &Column) -> Option<String> {
        let scalar = match ty {
            FieldTy::Scalar(s, _) => *s,
            FieldTy::Enum(e) => {
                let (DefaultValue::Enum(v) | DefaultValue::String(v)) = value else { return None };
                return self.enums[*e].values.iter().find(|(_, db)| db == v).map(|(name, _)| name.clone());
            }
            FieldTy::Unsupported(_) => return None,
        };
        match (scalar, value) {
            (ScalarType::String, DefaultValue::String(s) | DefaultValue::Enum(s) | DefaultValue::Number(s)) => {
                Some(quote(s))
            }
            (ScalarType::Int | ScalarType::BigInt, DefaultValue::Number(n)) => {
                let fits = if scalar == ScalarType::Int { n.parse::<i32>().is_ok() } else { n.parse::<i64>().is_ok() };
                (fits && n.bytes().all(|b| b.is_ascii_digit() || b == b'-')).then(|| n.clone())
            }
            (ScalarType::Float | ScalarType::Decimal, DefaultValue::Number(n)) => is_sql_number(n).then(|| n.clone()),
            (ScalarType::Boolean, DefaultValue::Boolean(b)) => Some(b.to_string()),
            (ScalarType::DateTime, DefaultValue::DateTime(s) | DefaultValue::String(s)) => {
                let native = column.native_type.as_deref().unwrap_or_else(|| family_type(self.dialect, &column.ty));
                Some(quote(&self.datetime_literal(native, s)))
            }
            (ScalarType::Json, DefaultValue::Json(s) | DefaultValue::String(s)) => Some(quote(s)),
            (ScalarType::Bytes, DefaultValue::Bytes(b)) => Some(quote(&orm_schema::bytes::encode(b))),
            _ => None,
        }
    }

    /// An RFC 3339 text that the database keeps as `stored` in a column of `native`.
    fn datetime_literal(&self, native: &str, stored: &str) -> String {
        let candidates = datetime_candidates(stored);
        candidates
            .iter()
            .find(|c| stored_datetime(self.dialect, native, &ddl_datetime(c)) == stored)
            .or(candidates.first())
            .cloned()
            .unwrap_or_else(|| stored.to_owned())
    }
}

// ---- helpers -------------------------------------------------------------------------------------

fn model_name(table: &Table, top_names: &mut HashSet<String>) -> String {
    unique_name(&sanitize(&table.name, "Model"), "Model", top_names, is_valid_type_name)
}

fn has_duplicates(xs: &[usize]) -> bool {
    xs.iter().enumerate().any(|(i, x)| xs[..i].contains(x))
}

fn has_operator_class(c: &IndexColumn) -> bool {
    c.operator_class.as_ref().is_some_and(|o| !o.is_default)
}

/// Whether `columns` (in any order) are exactly the primary key or a unique index.
fn is_unique_criterion(table: &Table, columns: &[String]) -> bool {
    let same = |key: &[IndexColumn]| key.len() == columns.len() && key.iter().all(|k| columns.contains(&k.name));
    table.primary_key.as_ref().is_some_and(|pk| same(&pk.columns))
        || table.indexes.iter().any(|i| i.kind == IndexKind::Unique && same(&i.columns))
}

/// What validation asks of a model that is not `@@ignore`d.
fn has_unique_criterion(table: &Table) -> bool {
    let required = |c: &IndexColumn| table.column(&c.name).is_some_and(Column::is_required);
    table.primary_key.as_ref().is_some_and(|pk| !pk.columns.is_empty())
        || table
            .indexes
            .iter()
            .any(|i| i.kind == IndexKind::Unique && !i.columns.is_empty() && i.columns.iter().all(required))
}

/// Whether a field of type `a` can reference one of type `b` (same scalar, enum or unsupported
/// type; native types may differ).
fn same_kind(a: &FieldTy, b: &FieldTy) -> bool {
    match (a, b) {
        (FieldTy::Scalar(x, _), FieldTy::Scalar(y, _)) => x == y,
        (a, b) => a == b,
    }
}

fn attribute(name: &str, args: &[String]) -> String {
    if args.is_empty() { name.to_owned() } else { format!("{name}({})", args.join(", ")) }
}

fn action(a: ForeignKeyAction) -> &'static str {
    match a {
        ForeignKeyAction::Cascade => "Cascade",
        ForeignKeyAction::Restrict => "Restrict",
        ForeignKeyAction::NoAction => "NoAction",
        ForeignKeyAction::SetNull => "SetNull",
        ForeignKeyAction::SetDefault => "SetDefault",
    }
}

fn algorithm_name(a: IndexAlgorithm) -> &'static str {
    match a {
        IndexAlgorithm::BTree => "BTree",
        IndexAlgorithm::Hash => "Hash",
        IndexAlgorithm::Gist => "Gist",
        IndexAlgorithm::Gin => "Gin",
        IndexAlgorithm::SpGist => "SpGist",
        IndexAlgorithm::Brin => "Brin",
    }
}

/// The `@db.*` attribute (without `@db.`) that `from_schema` turns into `native` for `scalar`:
/// the provider's first native type whose spelling with the arguments found in `native` gives
/// `native` back. `None` when there is none.
fn native_attribute(dialect: Dialect, scalar: ScalarType, native: &str) -> Option<String> {
    let (base, args) = match native.split_once('(') {
        Some((base, rest)) => {
            let inner = rest.strip_suffix(')')?;
            (base.trim(), inner.split(',').map(|a| a.trim().to_owned()).collect::<Vec<_>>())
        }
        None => (native.trim(), Vec::new()),
    };
    if base.is_empty() {
        return None;
    }
    let caps = provider_of(dialect).capabilities();
    for spec in caps.native_types.iter().filter(|s| s.scalars.contains(&scalar)) {
        let tries = [args.clone(), Vec::new()];
        for args in tries.iter().filter(|a| (spec.min_args..=spec.max_args).contains(&a.len())) {
            let candidate = NativeType { name: spec.name.to_owned(), args: args.clone(), span: Span::default() };
            if native_type(dialect, scalar, Some(&candidate)) == native {
                return Some(if args.is_empty() {
                    spec.name.to_owned()
                } else {
                    format!("{}({})", spec.name, args.join(", "))
                });
            }
        }
    }
    None
}

/// RFC 3339 spellings of a timestamp default as a database keeps it (`2020-01-01 10:00:00`,
/// `… +02:00`, a date, a time), best first.
fn datetime_candidates(stored: &str) -> Vec<String> {
    let s = stored.trim();
    let is_date = |d: &str| {
        let b = d.as_bytes();
        b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && d.bytes().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
    };
    let clock = |rest: &str| -> String {
        let rest: String = rest.chars().filter(|c| !c.is_whitespace()).collect();
        let has_offset = rest.ends_with(['Z', 'z']) || rest.get(8..).is_some_and(|tail| tail.contains(['+', '-']));
        if has_offset { rest } else { format!("{rest}Z") }
    };
    let mut out = Vec::new();
    match s.get(..10) {
        Some(date) if is_date(date) => {
            let rest = s[10..].trim_start_matches(['T', 't', ' ']);
            if rest.is_empty() {
                out.push(format!("{date}T00:00:00Z"));
            } else {
                out.push(format!("{date}T{}", clock(rest)));
            }
        }
        _ if s.contains(':') => out.push(format!("1970-01-01T{}", clock(s))),
        _ => {}
    }
    out.push(s.to_owned());
    out
}

/// A string literal of the schema language (JSON escapes).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---- names ---------------------------------------------------------------------------------------

/// `name` as an identifier: characters that cannot be in one become `_`, leading underscores
/// go (Prisma's grammar refuses them), and a name that does not start with a letter gets
/// `prefix`. Non-ASCII letters are kept when the parser reads them as one identifier.
fn sanitize(name: &str, prefix: &str) -> String {
    let build = |keep: &dyn Fn(char) -> bool| {
        let out: String = name.chars().map(|c| if keep(c) { c } else { '_' }).collect();
        let out = out.trim_start_matches('_');
        if out.chars().next().is_some_and(char::is_alphabetic) { out.to_owned() } else { format!("{prefix}{out}") }
    };
    let out = build(&|c| c.is_ascii_alphanumeric() || c == '_' || (!c.is_ascii() && c.is_alphanumeric()));
    if out.is_ascii() || parses_as_one_identifier(&out) {
        out
    } else {
        build(&|c| c.is_ascii_alphanumeric() || c == '_')
    }
}

/// Whether the parser reads `name` as a single identifier (Unicode letters it knows).
fn parses_as_one_identifier(name: &str) -> bool {
    let text = format!("enum E {{\n  {name}\n}}\n");
    let mut diagnostics = Diagnostics::default();
    let _ = orm_schema::parser::parse(&text, FileId(0), &mut diagnostics);
    diagnostics.is_empty()
        && name.chars().next().is_some_and(char::is_alphabetic)
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// `base` if it is valid and free, else `base` + `suffix`, then with a number: 2, 3, …
/// The chosen name is added to `taken`.
fn unique_name(base: &str, suffix: &str, taken: &mut HashSet<String>, valid: impl Fn(&str) -> bool) -> String {
    let mut candidates =
        [base.to_owned(), format!("{base}{suffix}")].into_iter().chain((2..).map(|n| format!("{base}{suffix}{n}")));
    let name = candidates.find(|c| valid(c) && !taken.contains(c)).unwrap_or_default();
    taken.insert(name.clone());
    name
}

/// A model or enum name the schema accepts: not a scalar type, nothing the Rust client needs.
fn is_valid_type_name(name: &str) -> bool {
    use heck::ToSnakeCase;
    ScalarType::parse(name).is_none()
        && !matches!(name, "Client" | "Self")
        && !matches!(name.to_snake_case().as_str(), "self" | "super" | "crate" | "_")
}

fn is_valid_field_name(name: &str) -> bool {
    use heck::ToSnakeCase;
    let reserved = |n: &str| matches!(n, "self" | "super" | "crate" | "Self" | "_");
    !reserved(name) && !reserved(&name.to_snake_case())
}

fn is_valid_enum_value(name: &str) -> bool {
    !name.is_empty()
}

/// `authorId` / `author_id` / `authorID` → `author`.
fn strip_id_suffix(field: &str) -> Option<String> {
    let stem = field.strip_suffix("Id").or_else(|| field.strip_suffix("ID")).or_else(|| field.strip_suffix("_id"))?;
    let stem = stem.trim_end_matches('_');
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// `owner` + `users` → `ownerUsers`; in snake case (either has a `_`): `created_by_users`.
fn join_words(first: &str, second: &str) -> String {
    if first.contains('_') || second.contains('_') {
        format!("{first}_{second}")
    } else {
        let mut chars = second.chars();
        let upper: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        format!("{first}{upper}")
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `post` → `posts`; a name that already ends in `s` is kept.
fn plural(name: &str) -> String {
    if name.ends_with('s') { name.to_owned() } else { format!("{name}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_identifiers() {
        assert_eq!(sanitize("user", "Model"), "user");
        assert_eq!(sanitize("_PostToTag", "Model"), "PostToTag");
        assert_eq!(sanitize("ta\"b`le x", "Model"), "ta_b_le_x");
        assert_eq!(sanitize("2fa", "field"), "field2fa");
        assert_eq!(sanitize("", "field"), "field");
        assert_eq!(sanitize("período", "field"), "período");
        let mut taken = HashSet::new();
        assert_eq!(unique_name("String", "Model", &mut taken, is_valid_type_name), "StringModel");
        assert_eq!(unique_name("self", "Field", &mut taken, is_valid_field_name), "selfField");
        assert_eq!(unique_name("a", "Field", &mut taken, is_valid_field_name), "a");
        assert_eq!(unique_name("a", "Field", &mut taken, is_valid_field_name), "aField");
        assert_eq!(unique_name("a", "Field", &mut taken, is_valid_field_name), "aField2");
        assert_eq!(strip_id_suffix("authorId").as_deref(), Some("author"));
        assert_eq!(strip_id_suffix("author_id").as_deref(), Some("author"));
        assert_eq!(strip_id_suffix("id"), None);
    }

    #[test]
    fn literals() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
        assert_eq!(datetime_candidates("2020-01-01 10:00:00")[0], "2020-01-01T10:00:00Z");
        assert_eq!(datetime_candidates("2020-01-01 10:00:00.5 +02:00")[0], "2020-01-01T10:00:00.5+02:00");
        assert_eq!(datetime_candidates("2020-01-01")[0], "2020-01-01T00:00:00Z");
        assert_eq!(datetime_candidates("10:00:00 -01:30")[0], "1970-01-01T10:00:00-01:30");
    }

    #[test]
    fn native_types_are_found_back() {
        let pg = |s, n| native_attribute(Dialect::Postgres, s, n);
        assert_eq!(pg(ScalarType::String, "VARCHAR(255)").as_deref(), Some("VarChar(255)"));
        assert_eq!(pg(ScalarType::Decimal, "DECIMAL(10,2)").as_deref(), Some("Decimal(10, 2)"));
        assert_eq!(pg(ScalarType::DateTime, "TIMESTAMPTZ").as_deref(), Some("Timestamptz"));
        assert_eq!(pg(ScalarType::String, "CHAR(1)").as_deref(), Some("Char(1)"));
        assert_eq!(pg(ScalarType::String, "GEOMETRY"), None);
        let my = |s, n| native_attribute(Dialect::Mysql, s, n);
        assert_eq!(my(ScalarType::Int, "INTEGER UNSIGNED").as_deref(), Some("UnsignedInt"));
        assert_eq!(my(ScalarType::DateTime, "TIMESTAMP(0)").as_deref(), Some("Timestamp(0)"));
        assert_eq!(my(ScalarType::Decimal, "DECIMAL(10, 0)").as_deref(), Some("Decimal(10, 0)"));
        assert_eq!(my(ScalarType::String, "VARCHAR(x"), None);
    }
}
