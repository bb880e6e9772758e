"""PostgreSQL enforces the ledger's rules itself, whatever door a write comes through (docs/adr/0007-ledger.md):

- a transaction's legs sum to zero (at least two of them) when the database transaction commits, and a reversal
  mirrors the transaction it reverses (a deferred constraint trigger, once per journal transaction);
- legs are added only while their journal transaction is being posted (same database transaction), on accounts
  of the same compound, and nothing is posted into a closed period;
- posted transactions and legs are never updated or deleted;
- each leg moves its account's stored balance in the same statement (one grouped UPDATE per INSERT statement,
  so bulk inserts stay fast); only that trigger may change a balance, and the CHECK constraint
  `account_balance_not_negative` refuses any balance below zero where the rules forbid it. Concurrent postings
  serialize on the account rows, so two disbursements can never overdraw a fund between them;
- a closed period is final.

Every error is raised with an SQLSTATE of class 23 (integrity constraint violation), which Django reports as
IntegrityError. TRUNCATE is left alone: it is an administrator's tool (and the test runner's), not a posting.
On other databases (the SQLite demo) the same rules are checked in Python by ledger.posting.
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE ledger_transaction ADD COLUMN db_xact bigint;

CREATE FUNCTION ledger_transaction_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    p record;
BEGIN
    -- FOR SHARE: a period cannot close while a posting into it is on its way.
    SELECT compound_id, status INTO p FROM ledger_period WHERE id = NEW.period_id FOR SHARE;
    IF p.status IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'ledger: period % is closed', NEW.period_id USING ERRCODE = 'check_violation';
    END IF;
    IF p.compound_id <> NEW.compound_id THEN
        RAISE EXCEPTION 'ledger: period % belongs to another compound', NEW.period_id
            USING ERRCODE = 'check_violation';
    END IF;
    -- The top-level transaction id (the same inside savepoints): legs may join only this posting.
    NEW.db_xact := txid_current();
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_transaction_before_insert BEFORE INSERT ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_transaction_before_insert();

CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger: posted % rows cannot be changed or deleted; post a reversal', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER ledger_transaction_immutable BEFORE UPDATE OR DELETE ON ledger_transaction
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_leg_immutable BEFORE UPDATE OR DELETE ON ledger_leg
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_legs_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_legs l JOIN ledger_transaction t ON t.id = l.transaction_id
                WHERE t.db_xact IS DISTINCT FROM txid_current()) THEN
        RAISE EXCEPTION 'ledger: legs are added only while their transaction is posted'
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT 1 FROM new_legs l JOIN ledger_transaction t ON t.id = l.transaction_id
                 JOIN ledger_account a ON a.id = l.account_id WHERE a.compound_id <> t.compound_id) THEN
        RAISE EXCEPTION 'ledger: a leg''s account belongs to another compound' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE ledger_account a SET balance = a.balance + a.sign * s.total
      FROM (SELECT account_id, sum(amount) AS total FROM new_legs GROUP BY account_id) s
     WHERE a.id = s.account_id;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_legs_after_insert AFTER INSERT ON ledger_leg
    REFERENCING NEW TABLE AS new_legs FOR EACH STATEMENT EXECUTE FUNCTION ledger_legs_after_insert();

CREATE FUNCTION ledger_account_before_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Depth 1 is a statement against the account itself; the legs' trigger updates at depth 2.
    IF NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'ledger: a balance changes only by posting legs' USING ERRCODE = 'check_violation';
    END IF;
    IF (NEW.kind, NEW.sign, NEW.may_go_negative, NEW.compound_id, NEW.household_id)
       IS DISTINCT FROM (OLD.kind, OLD.sign, OLD.may_go_negative, OLD.compound_id, OLD.household_id) THEN
        RAISE EXCEPTION 'ledger: an account keeps its kind and owner' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_account_before_update BEFORE UPDATE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_before_update();

CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n integer;
    total numeric;
BEGIN
    SELECT count(*), coalesce(sum(amount), 0) INTO n, total FROM ledger_leg WHERE transaction_id = NEW.id;
    IF n < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'ledger: transaction % does not balance (% legs, sum %)', NEW.id, n, total
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.reverses_id IS NOT NULL AND EXISTS (
        SELECT 1
          FROM (SELECT account_id, sum(amount) AS total FROM ledger_leg
                 WHERE transaction_id = NEW.id GROUP BY account_id) mine
          FULL JOIN (SELECT account_id, -sum(amount) AS total FROM ledger_leg
                      WHERE transaction_id = NEW.reverses_id GROUP BY account_id) original USING (account_id)
         WHERE mine.total IS DISTINCT FROM original.total) THEN
        RAISE EXCEPTION 'ledger: reversal % does not mirror transaction %', NEW.id, NEW.reverses_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();

CREATE FUNCTION ledger_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'ledger: period % is closed for good', OLD.id USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER ledger_period_guard BEFORE UPDATE OR DELETE ON ledger_period
    FOR EACH ROW EXECUTE FUNCTION ledger_period_guard();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS ledger_period_guard ON ledger_period;
DROP TRIGGER IF EXISTS ledger_transaction_balanced ON ledger_transaction;
DROP TRIGGER IF EXISTS ledger_account_before_update ON ledger_account;
DROP TRIGGER IF EXISTS ledger_legs_after_insert ON ledger_leg;
DROP TRIGGER IF EXISTS ledger_leg_immutable ON ledger_leg;
DROP TRIGGER IF EXISTS ledger_transaction_immutable ON ledger_transaction;
DROP TRIGGER IF EXISTS ledger_transaction_before_insert ON ledger_transaction;
DROP FUNCTION IF EXISTS ledger_period_guard(), ledger_transaction_balanced(), ledger_account_before_update(),
    ledger_legs_after_insert(), ledger_refuse_change(), ledger_transaction_before_insert();
ALTER TABLE ledger_transaction DROP COLUMN IF EXISTS db_xact;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_accounts_journal_fund_applications")]

    operations = [migrations.RunPython(forward, backward)]
