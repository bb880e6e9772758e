"""Recomputes every account's balance from its legs and checks that every transaction balances; exits non-zero
on any difference, so a monitor or a cron job can alert on it."""

from django.core.management.base import BaseCommand, CommandError

from ledger.selectors import balance_differences, unbalanced_transactions


class Command(BaseCommand):
    help = "Recompute every ledger balance from its entries and report differences (exit status 1 on any)."

    def handle(self, *args, **options):
        differences = balance_differences()
        unbalanced = unbalanced_transactions()
        for row in differences:
            self.stdout.write(f"account {row['account']}: stored {row['stored']}, from entries {row['computed']}")
        for pk in unbalanced:
            self.stdout.write(f"transaction {pk}: legs do not sum to zero")
        if differences or unbalanced:
            raise CommandError(f"{len(differences)} balance(s) and {len(unbalanced)} transaction(s) differ",
                               returncode=1)
        self.stdout.write(self.style.SUCCESS("Every balance equals the sum of its entries."))
