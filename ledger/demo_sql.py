"""The demo ledgers on PostgreSQL, set-based: each event (a first deposit, a year's interest, a year of fee bills
and payments …) is a few INSERT … SELECT statements for every compound of a district at once, instead of a
posting per compound and an ORM row per household. At district scale (~350,000 households, ten and more
entries each) this is what keeps the ledger's part of the seed within 90 s (benchmarks/README.md).

Nothing here goes around the database's rules: transactions and legs are inserted in one database transaction,
so the deferred trigger checks that each transaction balances at commit, the statement-level trigger on legs
moves the balances (one grouped UPDATE per statement) and the CHECK keeps every fund, bank and income balance at
zero or above. `manage.py check_ledger` recomputes everything afterwards. The figures follow the same rules as
the ORM path in ledger.demo (kept for SQLite): floor area × rate rounded half up to the fen, interest shared by
largest remainder as `ledger.money.apportion` does (ties to the smaller account id)."""

import datetime

from django.db import connection
from django.utils import timezone

from core.bulk_load import add_foreign_keys, build_indexes, drop_foreign_keys, drop_indexes
from ledger.models import MAY_GO_NEGATIVE, AccountKind, CommonItem, Period, TransactionKind, kind_sign
from properties.selectors import active_contracts

K = AccountKind

# The planned journal transactions of one event: ids taken from the table's own sequence, so the legs, bills,
# payments and relief rows can name their transaction before it is inserted.
_PLAN = """
DROP TABLE IF EXISTS _lt;
CREATE TEMP TABLE _lt (id bigint PRIMARY KEY, compound_id bigint NOT NULL, kind text NOT NULL,
                       posted_on date NOT NULL, memo text NOT NULL, month int, household_id bigint,
                       item int, amount numeric(14, 2)) ON COMMIT DROP;
"""

_INSERT_PLANNED = """
INSERT INTO ledger_period (district_id, compound_id, year, month, status)
SELECT DISTINCT c.district_id, t.compound_id, extract(year FROM t.posted_on)::int,
       extract(month FROM t.posted_on)::int, 'open'
  FROM _lt t JOIN _lc c ON c.id = t.compound_id
ON CONFLICT DO NOTHING;
INSERT INTO ledger_transaction (id, district_id, compound_id, period_id, kind, posted_on, memo, created_at)
SELECT t.id, c.district_id, t.compound_id, p.id, t.kind, t.posted_on, t.memo, %(now)s
  FROM _lt t JOIN _lc c ON c.id = t.compound_id
  JOIN ledger_period p ON p.compound_id = t.compound_id AND p.year = extract(year FROM t.posted_on)
                      AND p.month = extract(month FROM t.posted_on)
 ORDER BY t.id;
"""

_NEXT_ID = "nextval(pg_get_serial_sequence('ledger_transaction', 'id'))"


def _run(cursor, sql: str, params: dict) -> None:
    for statement in filter(str.strip, sql.split(";\n")):
        cursor.execute(statement, params)


def _accounts(cursor, kind: str, where: str, params: dict, *, household: bool) -> None:
    """Opens the accounts of `kind` (one per household of `_lh`, or per compound of `_lc`) matching `where`."""
    source = ("SELECT *, id AS household_id FROM _lh" if household else
              "SELECT *, id AS compound_id, NULL::bigint AS household_id FROM _lc")
    cursor.execute(
        f"""INSERT INTO ledger_account (district_id, street_id, community_id, compound_id, household_id, kind, sign,
                                        may_go_negative, balance)
            SELECT district_id, street_id, community_id, compound_id, household_id, %(kind)s, %(sign)s, %(neg)s, 0
              FROM ({source}) s WHERE {where}
            ON CONFLICT DO NOTHING""",
        {**params, "kind": kind, "sign": kind_sign(kind), "neg": kind in MAY_GO_NEGATIVE})


def _post(cursor, plan: str, legs: str, params: dict) -> None:
    """Plans the event's transactions (`plan` selects compound_id, kind, posted_on, memo, month, household_id,
    item, amount), inserts their periods and transactions, then every leg in one statement."""
    _run(cursor, _PLAN, params)
    cursor.execute(f"INSERT INTO _lt SELECT {_NEXT_ID}, p.* FROM ({plan}) p ORDER BY 1", params)
    cursor.execute("ANALYZE _lt")  # its size, for the plans of the inserts that read it (hash joins, not loops)
    _run(cursor, _INSERT_PLANNED, params)
    # In transaction order, so each transaction's legs lie together on disk: at commit the deferred trigger reads
    # every transaction's legs by index, and scattered legs cost a random read each.
    cursor.execute(f"INSERT INTO ledger_leg (transaction_id, account_id, amount) SELECT * FROM ({legs}) l "
                   "ORDER BY 1, 2", params)


def seed_districts(districts, *, first_deposit_on, first_rate, top_up_on, top_up_rate, interest_on,
                   interest_rate, first_month: datetime.date, relief_reason: str, granter, common_monthly,
                   skip_common_of=None) -> None:
    """Every ledger of the districts' compounds (the caller holds the database transaction): the maintenance
    fund, twelve months of fees from `first_month` and the last of those months' common-part income published
    (but in one compound in ten of each district, and in `skip_common_of`, which the caller seeds through the
    services)."""
    rates = {}
    for compound_id, rate in (active_contracts().filter(compound__district__in=districts)
                              .order_by("compound_id", "pk").values_list("compound_id", "fee_standard")):
        rates.setdefault(compound_id, rate)
    params = {"d": [d.pk for d in districts], "now": timezone.now(), "granter": granter.pk if granter else None,
              "fee_compounds": [pk for pk, rate in rates.items() if rate],
              "fee_rates": [rate for rate in rates.values() if rate],
              "skip": skip_common_of.pk if skip_common_of is not None else 0}
    with connection.cursor() as cursor:
        # Room to sort and group millions of legs in memory (the balance trigger's grouped UPDATE among them).
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        keys = drop_foreign_keys(cursor, _LOADED)
        # The plain (not unique) indexes of the big tables are built once after the fund and the fees are in,
        # instead of being updated row by row; the unique ones stay, they decide ON CONFLICT and refuse
        # duplicates as the rows come.
        indexes = drop_indexes(cursor, _INDEXED_AFTER, unique=False)
        _run(cursor, """
DROP TABLE IF EXISTS _lh;
DROP TABLE IF EXISTS _lc;
CREATE TEMP TABLE _lh ON COMMIT DROP AS
SELECT h.id, h.district_id, h.street_id, h.community_id, h.compound_id, h.floor_area,
       (row_number() OVER (PARTITION BY h.compound_id ORDER BY h.id) - 1)::int AS i
  FROM communities_household h WHERE h.district_id = ANY(%(d)s);
CREATE INDEX ON _lh (compound_id);
CREATE TEMP TABLE _lc ON COMMIT DROP AS
SELECT c.id, c.district_id, c.street_id, c.community_id,
       (row_number() OVER (PARTITION BY c.district_id ORDER BY c.id) - 1)::int AS n,
       r.rate, EXISTS (SELECT 1 FROM _lh h WHERE h.compound_id = c.id) AS inhabited
  FROM communities_compound c
  LEFT JOIN unnest(%(fee_compounds)s::bigint[], %(fee_rates)s::numeric[]) r(compound_id, rate)
         ON r.compound_id = c.id
 WHERE c.district_id = ANY(%(d)s);
ANALYZE _lh;
ANALYZE _lc""", params)
        _seed_fund(cursor, params, first_deposit_on, first_rate, top_up_on, top_up_rate, interest_on,
                   interest_rate)
        _seed_fees(cursor, {**params, "first_month": first_month, "reason": relief_reason})
        build_indexes(cursor, indexes)
        _seed_common(cursor, {**params, "last_month": _add_months(first_month, 11)}, common_monthly)
        cursor.execute("DROP TABLE IF EXISTS _lt, _lh, _lc, _lf")
        # Statistics that know the millions of new rows (ANALYZE sees this transaction's own), for the checks
        # and reads that follow in the same transaction: the foreign keys, the collection rates, the demo
        # applications.
        for table in ("ledger_leg", "ledger_transaction", "ledger_account", "ledger_feebill", "ledger_feepayment"):
            cursor.execute(f"ANALYZE {table}")
        # The ledger's own deferred check (each journal transaction balances) runs here instead of at COMMIT.
        add_foreign_keys(cursor, keys)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- the foreign keys, checked once per key ---------------------------------------------------------------------

# Django declares every foreign key DEFERRABLE INITIALLY DEFERRED: millions of rows inserted in one transaction
# would queue one check each, run one by one at COMMIT (about 23 million index lookups at district scale, most of
# the seed's time; SET CONSTRAINTS … IMMEDIATE only moves them to the statement). The seeder drops the foreign
# keys of the tables it loads, inside its transaction, and adds them back with the same names and definitions
# once the rows are in: PostgreSQL then validates each key by one query over the whole table (as pg_restore
# does), so a row naming a missing household or transaction still fails the seed, and nobody else ever sees
# the tables without their keys.
_LOADED = ("ledger_account", "ledger_period", "ledger_transaction", "ledger_leg", "ledger_feebill",
           "ledger_feepayment", "ledger_feerelief", "ledger_commonitem", "ledger_monthlystatement")
_INDEXED_AFTER = ("ledger_account", "ledger_leg", "ledger_feebill", "ledger_feepayment")


# --- the maintenance fund ---------------------------------------------------------------------------------------

# The fund's history is computed first, household by household, in a temporary table (the deposits, then each
# year's interest shared by the balance it earned on), and then posted in one INSERT of legs: the balance trigger
# updates each household's account once instead of once per event, which is most of the cost at district scale.
# Interest is shared as money.apportion does: whole fen rounded down, the fen left over to the largest
# remainders (ties to the smaller account id). The database being empty (seed_demo fills an empty one), every
# balance starts at zero.
_FUND_HISTORY = f"""
DROP TABLE IF EXISTS _lf;
CREATE TEMP TABLE _lf ON COMMIT DROP AS
SELECT h.compound_id, a.id AS account_id, round(h.floor_area * %(first_rate)s, 2) AS d0,
       CASE WHEN h.i %% 3 <> 0 THEN round(h.floor_area * %(top_up_rate)s, 2) ELSE 0 END AS d1,
       0::numeric(14, 2) AS s1, 0::numeric(14, 2) AS s2, 0::numeric(14, 2) AS s3
  FROM _lh h JOIN ledger_account a ON a.household_id = h.id AND a.kind = '{K.HOUSEHOLD_FUND}'
"""

_SHARE_INTEREST = """
UPDATE _lf f SET {share} = (q.whole + CASE WHEN q.rank <= q.left_over THEN 1 ELSE 0 END) / 100
  FROM (SELECT r.*, r.cents - sum(r.whole) OVER (PARTITION BY r.compound_id) AS left_over,
               row_number() OVER (PARTITION BY r.compound_id ORDER BY r.raw - r.whole DESC, r.account_id) AS rank
          FROM (SELECT w.*, floor(w.raw) AS whole
                  FROM (SELECT f.account_id, f.compound_id, c.cents, c.cents * ({weight}) / c.total AS raw
                          FROM _lf f
                          JOIN (SELECT compound_id, sum({weight}) AS total,
                                       round(sum({weight}) * %(rate)s, 2) * 100 AS cents
                                  FROM _lf GROUP BY compound_id) c ON c.compound_id = f.compound_id
                         WHERE ({weight}) > 0) w) r) q
 WHERE f.account_id = q.account_id
"""

_FUND_PLAN = f"""
SELECT s.compound_id, e.kind, e.day, e.memo, NULL::int, NULL::bigint, e.n, e.amount
  FROM (SELECT compound_id, sum(d0) AS a0, sum(s1) AS a1, sum(s2) AS a2, sum(d1) AS a3, sum(s3) AS a4
          FROM _lf GROUP BY compound_id) s
 CROSS JOIN LATERAL (VALUES
        (0, '{TransactionKind.DEPOSIT}', %(first_deposit_on)s::date, '首期维修资金交存', s.a0),
        (1, '{TransactionKind.INTEREST}', %(interest_0)s::date, '维修资金年度利息分配', s.a1),
        (2, '{TransactionKind.INTEREST}', %(interest_1)s::date, '维修资金年度利息分配', s.a2),
        (3, '{TransactionKind.TOP_UP}', %(top_up_on)s::date, '维修资金续筹', s.a3),
        (4, '{TransactionKind.INTEREST}', %(interest_2)s::date, '维修资金年度利息分配', s.a4)
       ) e(n, kind, day, memo, amount)
 WHERE e.amount > 0
"""

_FUND_LEGS = f"""
SELECT t.id, f.account_id, -(CASE t.item WHEN 0 THEN f.d0 WHEN 1 THEN f.s1 WHEN 2 THEN f.s2 WHEN 3 THEN f.d1
                                         ELSE f.s3 END)
  FROM _lt t JOIN _lf f ON f.compound_id = t.compound_id
 WHERE CASE t.item WHEN 0 THEN f.d0 WHEN 1 THEN f.s1 WHEN 2 THEN f.s2 WHEN 3 THEN f.d1 ELSE f.s3 END > 0
UNION ALL
SELECT t.id, b.id, t.amount
  FROM _lt t JOIN ledger_account b ON b.compound_id = t.compound_id AND b.household_id IS NULL
                                  AND b.kind = '{K.FUND_BANK}'
"""


def _seed_fund(cursor, params, first_deposit_on, first_rate, top_up_on, top_up_rate, interest_on,
               interest_rate) -> None:
    """The first deposit by floor area, interest at the end of 2023 and 2024, the top-up two households in three
    made in 2025 and that year's interest."""
    _accounts(cursor, K.HOUSEHOLD_FUND, "true", params, household=True)
    _accounts(cursor, K.FUND_BANK, "inhabited", params, household=False)
    params = {**params, "first_rate": first_rate, "top_up_rate": top_up_rate, "rate": interest_rate,
              "first_deposit_on": first_deposit_on, "top_up_on": top_up_on,
              **{f"interest_{n}": day for n, day in enumerate(interest_on)}}
    _run(cursor, _FUND_HISTORY, params)
    # Each year's interest on the balance of the year before: the first deposit, then with the interest earned.
    for share, weight in (("s1", "d0"), ("s2", "d0 + s1"), ("s3", "d0 + s1 + s2 + d1")):
        cursor.execute(_SHARE_INTEREST.format(share=share, weight=weight), params)
    _post(cursor, _FUND_PLAN, _FUND_LEGS, params)


# --- property fees ----------------------------------------------------------------------------------------------

# Nine in ten households pay each month (one in sixteen is behind all year, one in forty is relieved as a
# minimum-living-allowance household, and each month one in twenty-five forgets).
_PAYS = "h.i %% 16 <> 5 AND h.i %% 40 <> 7 AND (h.i + t.month) %% 25 <> 0"
_BILL = "round(h.floor_area * c.rate, 2)"

# The twelve months from %(first_month)s: each month's first day and its number (1–12).
_MONTHS = """(SELECT d::date AS day, extract(month FROM d)::int AS m
                FROM generate_series(%(first_month)s::date, %(first_month)s::date + interval '11 months',
                                     interval '1 month') d) m"""

_FEE_PLAN = f"""
SELECT c.id, '{TransactionKind.BILL}', m.day, extract(year FROM m.day)::int || '年' || m.m || '月物业费', m.m,
       NULL::bigint, NULL::int, NULL::numeric
  FROM _lc c CROSS JOIN {_MONTHS} WHERE c.rate IS NOT NULL AND c.inhabited
UNION ALL
SELECT c.id, '{TransactionKind.PAYMENT}', m.day + 9, '物业费收款（批量导入）', m.m, NULL, NULL, NULL
  FROM _lc c CROSS JOIN {_MONTHS}
 WHERE c.rate IS NOT NULL AND EXISTS (SELECT 1 FROM _lh h, (SELECT m.m AS month) t
                                       WHERE h.compound_id = c.id AND {_PAYS})
UNION ALL
SELECT c.id, '{TransactionKind.RELIEF}', (%(first_month)s::date + interval '11 months 19 days')::date, %(reason)s,
       NULL, h.id, NULL, {_BILL} * 12
  FROM _lc c JOIN _lh h ON h.compound_id = c.id WHERE c.rate IS NOT NULL AND h.i %% 40 = 7
"""

_FEE_LEGS = f"""
SELECT t.id, a.id, CASE t.kind WHEN '{TransactionKind.BILL}' THEN {_BILL} ELSE -{_BILL} END
  FROM _lt t JOIN _lc c ON c.id = t.compound_id JOIN _lh h ON h.compound_id = t.compound_id
  JOIN ledger_account a ON a.household_id = h.id AND a.kind = '{K.FEES_RECEIVABLE}'
 WHERE t.kind = '{TransactionKind.BILL}' OR (t.kind = '{TransactionKind.PAYMENT}' AND {_PAYS})
UNION ALL
SELECT t.id, a.id, CASE t.kind WHEN '{TransactionKind.BILL}' THEN -sum({_BILL}) ELSE sum({_BILL}) END
  FROM _lt t JOIN _lc c ON c.id = t.compound_id JOIN _lh h ON h.compound_id = t.compound_id
  JOIN ledger_account a ON a.compound_id = t.compound_id AND a.household_id IS NULL
   AND a.kind = CASE t.kind WHEN '{TransactionKind.BILL}' THEN '{K.FEE_INCOME}' ELSE '{K.FEE_CASH}' END
 WHERE t.kind = '{TransactionKind.BILL}' OR (t.kind = '{TransactionKind.PAYMENT}' AND {_PAYS})
 GROUP BY t.id, a.id, t.kind
UNION ALL
SELECT t.id, a.id, -t.amount
  FROM _lt t JOIN ledger_account a ON a.household_id = t.household_id AND a.kind = '{K.FEES_RECEIVABLE}'
UNION ALL
SELECT t.id, a.id, t.amount
  FROM _lt t JOIN ledger_account a ON a.compound_id = t.compound_id AND a.household_id IS NULL
                                  AND a.kind = '{K.FEE_RELIEF}'
 WHERE t.kind = '{TransactionKind.RELIEF}'
"""

_FEE_ROWS = f"""
INSERT INTO ledger_feebill (compound_id, household_id, year, month, floor_area, rate, amount, transaction_id)
SELECT t.compound_id, h.id, extract(year FROM t.posted_on)::int, t.month, h.floor_area, c.rate, {_BILL}, t.id
  FROM _lt t JOIN _lc c ON c.id = t.compound_id JOIN _lh h ON h.compound_id = t.compound_id
 WHERE t.kind = '{TransactionKind.BILL}';
INSERT INTO ledger_feepayment (compound_id, household_id, receipt_no, amount, paid_on, transaction_id)
SELECT t.compound_id, h.id,
       to_char(t.posted_on, 'YYYYMM') || '-'
           || CASE WHEN length(h.id::text) < 6 THEN lpad(h.id::text, 6, '0') ELSE h.id::text END,
       {_BILL}, t.posted_on, t.id
  FROM _lt t JOIN _lc c ON c.id = t.compound_id JOIN _lh h ON h.compound_id = t.compound_id
 WHERE t.kind = '{TransactionKind.PAYMENT}' AND {_PAYS};
INSERT INTO ledger_feerelief (compound_id, household_id, amount, reason, granted_by_id, transaction_id, created_at)
SELECT t.compound_id, t.household_id, t.amount, t.memo, %(granter)s, t.id, %(now)s
  FROM _lt t WHERE t.kind = '{TransactionKind.RELIEF}'
"""


def _seed_fees(cursor, params) -> None:
    """Twelve monthly bills (floor area × the active contract's fee standard) in every compound with one,
    the payments of nine households in ten, and relief for one in forty."""
    _accounts(cursor, K.FEES_RECEIVABLE, "compound_id = ANY(%(fee_compounds)s)", params, household=True)
    for kind in (K.FEE_INCOME, K.FEE_CASH, K.FEE_RELIEF):
        _accounts(cursor, kind, "id = ANY(%(fee_compounds)s) AND inhabited", params, household=False)
    _post(cursor, _FEE_PLAN, _FEE_LEGS, params)
    _run(cursor, _FEE_ROWS, params)


# --- common-part income, published ------------------------------------------------------------------------------

_COMMON_LEGS = f"""
SELECT t.id, a.id, CASE WHEN a.kind = '{K.COMMON_BANK}' AND t.kind = '{CommonItem.Kind.EXPENSE}' THEN -t.amount
                        WHEN a.kind = '{K.COMMON_INCOME}' THEN -t.amount ELSE t.amount END
  FROM _lt t JOIN ledger_account a ON a.compound_id = t.compound_id AND a.household_id IS NULL
   AND a.kind IN ('{K.COMMON_BANK}', CASE t.kind WHEN '{CommonItem.Kind.INCOME}' THEN '{K.COMMON_INCOME}'
                                                 ELSE '{K.COMMON_EXPENSE}' END)
"""

_COMMON_ROWS = f"""
INSERT INTO ledger_commonitem (district_id, street_id, community_id, compound_id, kind, category, amount,
                               occurred_on, description, status, entered_by_id, reviewed_by_id, reviewed_at,
                               review_note, transaction_id)
SELECT c.district_id, c.street_id, c.community_id, c.id, t.kind, (%(categories)s::text[])[t.item + 1], t.amount,
       t.posted_on, t.memo, '{CommonItem.Status.APPROVED}', %(granter)s, %(granter)s, %(now)s, '业委会审核同意', t.id
  FROM _lt t JOIN _lc c ON c.id = t.compound_id;
INSERT INTO ledger_monthlystatement (district_id, street_id, community_id, compound_id, year, month, income,
                                     expenses, balance, lines, published_at, published_by_id)
SELECT c.district_id, c.street_id, c.community_id, c.id, %(year)s, %(month)s,
       coalesce(sum(i.amount) FILTER (WHERE i.kind = '{CommonItem.Kind.INCOME}'), 0),
       coalesce(sum(i.amount) FILTER (WHERE i.kind = '{CommonItem.Kind.EXPENSE}'), 0),
       (SELECT coalesce(sum(l.amount), 0) FROM ledger_leg l JOIN ledger_transaction x ON x.id = l.transaction_id
         WHERE l.account_id = b.id AND x.posted_on < %(month_after)s),
       jsonb_agg(jsonb_build_object('kind', i.kind, 'category', i.category, 'amount', i.amount::text)
                 ORDER BY i.kind, i.category),
       %(now)s, %(granter)s
  FROM _lc c JOIN ledger_commonitem i ON i.compound_id = c.id AND i.occurred_on >= %(last_month)s
                                     AND i.status = '{CommonItem.Status.APPROVED}'
  JOIN ledger_account b ON b.compound_id = c.id AND b.household_id IS NULL AND b.kind = '{K.COMMON_BANK}'
 WHERE c.id IN (SELECT compound_id FROM _lt)
 GROUP BY c.id, c.district_id, c.street_id, c.community_id, b.id
"""


def _seed_common(cursor, params, common_monthly) -> None:
    """The last month's parking, advertising and upkeep, approved and published in about nine compounds in ten
    of each district."""
    publishing = "n %% 10 <> 9 AND id <> %(skip)s"  # the columns of _lc
    last = params["last_month"]
    params = {**params, "year": last.year, "month": last.month, "month_after": _add_months(last, 1),
              "kinds": [k for k, _c, _a, _t in common_monthly],
              "categories": [c for _k, c, _a, _t in common_monthly],
              "amounts": [a + last.month * 10 for _k, _c, a, _t in common_monthly],
              "texts": [t for _k, _c, _a, t in common_monthly]}
    for kind in (K.COMMON_BANK, K.COMMON_INCOME, K.COMMON_EXPENSE):
        _accounts(cursor, kind, publishing, params, household=False)
    _post(cursor, """
SELECT c.id, x.kind, %(last_month)s::date + 14, x.text, %(month)s, NULL::bigint, (x.n - 1)::int, x.amount
  FROM _lc c CROSS JOIN unnest(%(kinds)s::text[], %(texts)s::text[], %(amounts)s::numeric[])
       WITH ORDINALITY x(kind, text, amount, n)
 WHERE c.n %% 10 <> 9 AND c.id <> %(skip)s""", _COMMON_LEGS, params)
    _run(cursor, _COMMON_ROWS, params)


def close_months(district, until: datetime.date) -> None:
    """Every month of the district's books before `until` closed, as the centre does at each month's end."""
    Period.objects.filter(district=district, status=Period.Status.OPEN).filter(
        year__lt=until.year).update(status=Period.Status.CLOSED, closed_at=timezone.now())
    Period.objects.filter(district=district, status=Period.Status.OPEN, year=until.year,
                          month__lt=until.month).update(status=Period.Status.CLOSED, closed_at=timezone.now())

