//! The rendered SQL of every node kind, per dialect: text and binds, as snapshots
//! (`snapshots/`; `INSTA_UPDATE=always` rewrites them). Names and values are hostile on
//! purpose: quotes of every dialect in identifiers, wildcards and quotes in values.

use orm_db_schema::Dialect;

use super::*;
use crate::model::{Column, Table};
use crate::value::{ScalarKind, Value};

static USER_COLUMNS: [Column; 4] = [
    Column::new("id", "id", ScalarKind::Int).autoincrement(),
    Column::new("email", "e\"mail`x", ScalarKind::String),
    Column::new("role", "role", ScalarKind::Enum).enum_type("Ro\"le"),
    Column::new("tags", "tags", ScalarKind::Enum).enum_type("Tag").list(),
];
static USER: Table = Table {
    model: "User",
    name: "Us\"er`s",
    schema: None,
    columns: &USER_COLUMNS,
    primary_key: &[0],
    uniques: &[],
    referenced_by: &[],
};

static POST_COLUMNS: [Column; 4] = [
    Column::new("id", "id", ScalarKind::Int).autoincrement(),
    Column::new("authorId", "author_id", ScalarKind::Int),
    Column::new("title", "title", ScalarKind::String),
    Column::new("views", "views", ScalarKind::BigInt),
];
static POST: Table = Table {
    model: "Post",
    name: "Post",
    schema: Some("app"),
    columns: &POST_COLUMNS,
    primary_key: &[0],
    uniques: &[],
    referenced_by: &[],
};

fn user(i: usize) -> &'static Column {
    &USER.columns[i]
}
fn post(i: usize) -> &'static Column {
    &POST.columns[i]
}

/// The statement rendered for every dialect, one block each (without `RETURNING` on MySQL,
/// which has none: its builders read written rows back).
fn all(statement: impl Into<Statement>) -> String {
    let statement = statement.into();
    let mut out = String::new();
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let mut statement = statement.clone();
        if dialect == Dialect::Mysql {
            match &mut statement {
                Statement::Insert(s) => s.returning.clear(),
                Statement::Update(s) => s.returning.clear(),
                Statement::Delete(s) => s.returning.clear(),
                Statement::Select(_) => {}
            }
        }
        let sql = render(dialect, statement);
        out.push_str(&format!("{dialect:?}:\n  {}\n  binds: {:?}\n", sql.text, sql.binds));
    }
    out
}

fn text(s: &str) -> Expr {
    Expr::Value(Value::String(s.to_owned()), None)
}

#[test]
fn select_with_comparisons() {
    let filter = Expr::And(vec![
        Expr::eq(
            Expr::column(Scope::Bare, user(1)),
            Expr::value_for(Value::String("a'; DROP TABLE x; --".into()), user(1)),
        ),
        Expr::compare(Expr::column(Scope::Bare, user(0)), CmpOp::Gte, Expr::Value(Value::Int(3), None)),
        Expr::Or(vec![
            Expr::eq(Expr::column(Scope::Bare, user(2)), Expr::value_for(Value::Enum("AD'MIN"), user(2))),
            Expr::IsNull { expr: Box::new(Expr::column(Scope::Bare, user(1))), negated: true },
        ]),
        Expr::Not(Box::new(Expr::In {
            expr: Box::new(Expr::column(Scope::Bare, user(0))),
            list: vec![Expr::Value(Value::Int(1), None), Expr::Value(Value::Int(2), None)],
            negated: false,
        })),
    ]);
    insta::assert_snapshot!(all(Select::records(&USER, Some(filter))));
}

#[test]
fn empty_lists_and_junctions() {
    let filter = Expr::And(vec![
        Expr::In { expr: Box::new(Expr::column(Scope::Bare, user(0))), list: vec![], negated: false },
        Expr::In { expr: Box::new(Expr::column(Scope::Bare, user(0))), list: vec![], negated: true },
        Expr::And(vec![]),
        Expr::Or(vec![]),
    ]);
    insta::assert_snapshot!(all(Select::count(&USER, Some(filter))));
}

#[test]
fn text_matching_escapes_wildcards() {
    let column = || Box::new(Expr::column(Scope::Bare, user(1)));
    let filter = Expr::Or(vec![
        Expr::Text { expr: column(), op: TextOp::Contains, value: "50%_!*?[a]'".into(), insensitive: false },
        Expr::Text { expr: column(), op: TextOp::StartsWith, value: "50%_!*?[a]'".into(), insensitive: true },
        Expr::Text { expr: column(), op: TextOp::EndsWith, value: "x".into(), insensitive: false },
        Expr::eq(Expr::Lower(column()), Expr::Lower(Box::new(text("MiXeD")))),
    ]);
    insta::assert_snapshot!(all(Select::records(&USER, Some(filter))));
}

#[test]
fn order_limit_offset() {
    let key = |i, desc, nulls| Order { expr: Expr::column(Scope::Bare, user(i)), desc, nulls };
    let mut select = Select::records(&USER, None);
    select.order_by = vec![key(1, true, Some(Nulls::First)), key(0, false, Some(Nulls::Last)), key(2, false, None)];
    select.limit = Some(10);
    select.offset = Some(20);
    let mut skip_only = Select::records(&USER, None);
    skip_only.offset = Some(5);
    let mut take_only = Select::records(&USER, None);
    take_only.limit = Some(1);
    insta::assert_snapshot!(format!("{}{}{}", all(select), all(skip_only), all(take_only)));
}

/// What a relation filter is made of: `EXISTS` over the related table, correlated by key.
#[test]
fn exists_sub_select_with_aliases() {
    let parent = TableRef { table: &USER, alias: Some(0) };
    let child = TableRef { table: &POST, alias: Some(1) };
    let mut related = Select::new(child, vec![SelectItem::Expr(Expr::One, None)]);
    related.filter = Some(Expr::And(vec![
        Expr::eq(Expr::column(child.scope(), post(1)), Expr::column(parent.scope(), user(0))),
        Expr::compare(Expr::column(child.scope(), post(3)), CmpOp::Gt, Expr::value_for(Value::BigInt(100), post(3))),
    ]));
    let select = Select {
        filter: Some(Expr::Not(Box::new(Expr::Exists(Box::new(related))))),
        ..Select::new(parent, SelectItem::all_columns(&USER, parent.scope()))
    };
    insta::assert_snapshot!(all(select));
}

/// Ordering by a relation's count: a scalar sub-select.
#[test]
fn scalar_sub_select_as_sort_key() {
    let parent = TableRef { table: &USER, alias: Some(0) };
    let child = TableRef { table: &POST, alias: Some(1) };
    let mut count = Select::new(child, vec![SelectItem::Expr(Expr::Aggregate(Aggregate::Count, None), None)]);
    count.filter = Some(Expr::eq(Expr::column(child.scope(), post(1)), Expr::column(parent.scope(), user(0))));
    let mut select =
        Select::new(parent, vec![SelectItem::Column(ColumnRef { scope: parent.scope(), column: user(0) })]);
    select.order_by = vec![Order { expr: Expr::Subquery(Box::new(count)), desc: true, nulls: None }];
    select.limit = Some(3);
    insta::assert_snapshot!(all(select));
}

#[test]
fn joins_group_by_having_and_aggregates() {
    let posts = TableRef { table: &POST, alias: Some(0) };
    let users = TableRef { table: &USER, alias: Some(1) };
    let views = || Some(Box::new(Expr::column(posts.scope(), post(3))));
    let mut select = Select::new(
        posts,
        vec![
            SelectItem::Column(ColumnRef { scope: users.scope(), column: user(2) }),
            SelectItem::Expr(Expr::Aggregate(Aggregate::Count, None), Some("_count")),
            SelectItem::Expr(Expr::Aggregate(Aggregate::Sum, views()), Some("_sum\"views")),
            SelectItem::Expr(Expr::Aggregate(Aggregate::Avg, views()), None),
            SelectItem::Expr(Expr::Aggregate(Aggregate::Min, views()), None),
            SelectItem::Expr(Expr::Aggregate(Aggregate::Max, views()), None),
        ],
    );
    select.joins = vec![
        Join {
            kind: JoinKind::Inner,
            table: users,
            on: Expr::eq(Expr::column(posts.scope(), post(1)), Expr::column(users.scope(), user(0))),
        },
        Join {
            kind: JoinKind::Inner,
            table: TableRef { table: &USER, alias: Some(2) },
            on: Expr::eq(Expr::column(Scope::Alias(2), user(0)), Expr::Value(Value::Int(7), None)),
        },
    ];
    select.group_by = vec![Expr::column(users.scope(), user(2))];
    select.having =
        Some(Expr::compare(Expr::Aggregate(Aggregate::Sum, views()), CmpOp::Gt, Expr::Value(Value::BigInt(100), None)));
    select.distinct = true;
    insta::assert_snapshot!(all(select));
}

#[test]
fn inserts() {
    let one = Insert {
        table: &USER,
        columns: vec![user(1), user(2), user(3)],
        rows: vec![vec![
            Value::String("o'neil@x".into()),
            Value::Enum("USER"),
            Value::List(ScalarKind::Enum, vec![Value::Enum("a")]),
        ]],
        conflict: None,
        returning: SelectItem::all_columns(&USER, Scope::Bare),
    };
    let many = Insert {
        table: &POST,
        columns: vec![post(1), post(2)],
        rows: vec![
            vec![Value::Int(1), Value::String("a".into())],
            vec![Value::Int(2), Value::Null(ScalarKind::String)],
        ],
        conflict: Some(Conflict::Ignore),
        returning: Vec::new(),
    };
    let defaults =
        Insert { table: &POST, columns: vec![], rows: vec![vec![], vec![]], conflict: None, returning: vec![] };
    insta::assert_snapshot!(format!("{}{}{}", all(one), all(many), all(defaults)));
}

#[test]
fn upserts() {
    let increment = Assignment {
        column: post(3),
        value: Expr::Arithmetic(
            Box::new(Expr::column(Scope::Existing, post(3))),
            ArithOp::Add,
            Box::new(Expr::value_for(Value::BigInt(1), post(3))),
        ),
    };
    let set_title = Assignment { column: post(2), value: Expr::value_for(Value::String("new".into()), post(2)) };
    let upsert = |sets| Insert {
        table: &POST,
        columns: vec![post(0), post(2)],
        rows: vec![vec![Value::Int(1), Value::String("t".into())]],
        conflict: Some(Conflict::Update { target: vec![post(0)], sets }),
        returning: SelectItem::all_columns(&POST, Scope::Bare),
    };
    insta::assert_snapshot!(format!("{}{}", all(upsert(vec![increment, set_title])), all(upsert(vec![]))));
}

#[test]
fn updates_and_deletes() {
    let ops = [ArithOp::Sub, ArithOp::Mul, ArithOp::Div].map(|op| Assignment {
        column: post(3),
        value: Expr::Arithmetic(
            Box::new(Expr::column(Scope::Bare, post(3))),
            op,
            Box::new(Expr::value_for(Value::BigInt(2), post(3))),
        ),
    });
    let update = Update {
        table: &USER,
        sets: vec![Assignment { column: user(2), value: Expr::value_for(Value::Enum("ADMIN"), user(2)) }],
        filter: Some(Expr::eq(Expr::column(Scope::Bare, user(0)), Expr::value_for(Value::Int(1), user(0)))),
        returning: SelectItem::all_columns(&USER, Scope::Bare),
    };
    let arithmetic = Update { table: &POST, sets: ops.to_vec(), filter: None, returning: vec![] };
    let delete = Delete {
        table: &POST,
        filter: Some(Expr::eq(Expr::column(Scope::Bare, post(0)), Expr::value_for(Value::Int(9), post(0)))),
        returning: SelectItem::all_columns(&POST, Scope::Bare),
    };
    let delete_all = Delete { table: &USER, filter: None, returning: vec![] };
    insta::assert_snapshot!(format!("{}{}{}{}", all(update), all(arithmetic), all(delete), all(delete_all)));
}

/// Nothing of a value reaches the text, whatever it holds.
#[test]
fn values_are_never_in_the_text() {
    let hostile = "'; DROP TABLE \"x\"; -- `y` $1 ?";
    let select = Select::records(
        &USER,
        Some(Expr::Or(vec![
            Expr::eq(Expr::column(Scope::Bare, user(1)), text(hostile)),
            Expr::Text {
                expr: Box::new(Expr::column(Scope::Bare, user(1))),
                op: TextOp::Contains,
                value: hostile.into(),
                insensitive: true,
            },
        ])),
    );
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let sql = render(dialect, select.clone());
        assert!(!sql.text.contains("DROP"), "{dialect:?}: {}", sql.text);
        assert_eq!(sql.binds.len(), 2);
    }
}

/// What includes and relation filters of unaliased statements are made of: keys as one array
/// on PostgreSQL (`IN` elsewhere), composite keys as row values, the outer table by its name.
#[test]
fn keys_row_values_and_named_outer_tables() {
    let child = TableRef { table: &POST, alias: Some(0) };
    let mut select = Select::new(child, SelectItem::all_columns(&POST, child.scope()));
    select.filter = Some(Expr::And(vec![
        Expr::AnyOf {
            expr: Box::new(Expr::column(child.scope(), post(1))),
            values: vec![Value::Int(1), Value::Int(2)],
            column: post(1),
        },
        Expr::In {
            expr: Box::new(Expr::Tuple(vec![
                Expr::column(child.scope(), post(1)),
                Expr::column(child.scope(), post(2)),
            ])),
            list: vec![Expr::Tuple(vec![
                Expr::value_for(Value::Int(1), post(1)),
                Expr::value_for(Value::String("x".into()), post(2)),
            ])],
            negated: false,
        },
        Expr::AnyOf { expr: Box::new(Expr::column(child.scope(), post(0))), values: vec![], column: post(0) },
    ]));
    let enum_keys = Select::records(
        &USER,
        Some(Expr::AnyOf {
            expr: Box::new(Expr::column(Scope::Bare, user(2))),
            values: vec![Value::Enum("A"), Value::Enum("B")],
            column: user(2),
        }),
    );
    let inner = TableRef { table: &USER, alias: Some(0) };
    let mut related = Select::new(inner, vec![SelectItem::Expr(Expr::One, None)]);
    related.filter = Some(Expr::eq(Expr::column(inner.scope(), user(0)), Expr::column(Scope::Named(&POST), post(1))));
    let outer = Select::records(&POST, Some(Expr::Exists(Box::new(related))));
    insta::assert_snapshot!(format!("{}{}{}", all(select), all(enum_keys), all(outer)));
}

/// Aggregates cast to one type on every backend (`aggregate()`'s sums and averages).
#[test]
fn casts() {
    let views = || Some(Box::new(Expr::column(Scope::Bare, post(3))));
    let select = Select::new(
        TableRef { table: &POST, alias: None },
        vec![
            SelectItem::Expr(Expr::Cast(Box::new(Expr::Aggregate(Aggregate::Sum, views())), CastTo::BigInt), None),
            SelectItem::Expr(Expr::Cast(Box::new(Expr::Aggregate(Aggregate::Avg, views())), CastTo::Double), None),
        ],
    );
    insta::assert_snapshot!(all(select));
}

/// Scalar-list conditions (PostgreSQL arrays; an enum list's values cast to the enum's array).
#[test]
fn scalar_list_conditions() {
    let tags = || Box::new(Expr::column(Scope::Bare, user(3)));
    let list = |v: &[&'static str]| Value::List(ScalarKind::Enum, v.iter().map(|s| Value::Enum(s)).collect());
    let select = Select::records(
        &USER,
        Some(Expr::And(vec![
            Expr::List { expr: tags(), op: ListOp::Has, value: Value::Enum("a"), column: user(3) },
            Expr::List { expr: tags(), op: ListOp::HasSome, value: list(&["a", "b"]), column: user(3) },
            Expr::List { expr: tags(), op: ListOp::HasEvery, value: list(&["c"]), column: user(3) },
            Expr::List { expr: tags(), op: ListOp::IsEmpty, value: list(&[]), column: user(3) },
        ])),
    );
    let sql = render(Dialect::Postgres, select);
    insta::assert_snapshot!(format!("{}\n  binds: {:?}\n", sql.text, sql.binds));
}

/// `every`'s condition: a related row whose condition is null doesn't satisfy it.
#[test]
fn is_not_true() {
    let filter =
        Expr::IsNotTrue(Box::new(Expr::eq(Expr::column(Scope::Bare, post(1)), Expr::Value(Value::Int(1), None))));
    insta::assert_snapshot!(all(Select::count(&POST, Some(filter))));
}

#[test]
fn json_rows_of_a_correlated_include() {
    // A user's posts, newest two skipping one, each with its own nested count; then the same
    // without a limit (no derived table).
    let posts = |limit: Option<i64>, offset: Option<i64>| {
        let child = TableRef { table: &POST, alias: Some(0) };
        let mut s = Select::new(child, SelectItem::all_columns(&POST, child.scope()));
        s.filter = Some(Expr::eq(Expr::column(child.scope(), post(1)), Expr::column(Scope::Named(&USER), user(0))));
        s.order_by = vec![Order { expr: Expr::column(child.scope(), post(3)), desc: true, nulls: None }];
        (s.limit, s.offset) = (limit, offset);
        let nested = TableRef { table: &POST, alias: Some(1) };
        let mut inner = Select::new(nested, SelectItem::all_columns(&POST, nested.scope()));
        inner.filter = Some(Expr::eq(Expr::column(nested.scope(), post(0)), Expr::column(child.scope(), post(0))));
        s.items.push(SelectItem::Expr(Expr::JsonRows(Box::new(inner)), None));
        s
    };
    let mut out = String::new();
    for (limit, offset) in [(Some(2), Some(1)), (None, None)] {
        let mut outer = Select::records(&USER, None);
        outer.items.push(SelectItem::Expr(Expr::JsonRows(Box::new(posts(limit, offset))), None));
        let sql = render(Dialect::Sqlite, outer);
        out.push_str(&format!("{}\n  binds: {:?}\n", sql.text, sql.binds));
    }
    insta::assert_snapshot!(out);
}
