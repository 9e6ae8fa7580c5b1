"""Validators for generated identifiers, shared by the engine tests.

Written from the published algorithms (Luhn, ISO 13616 mod-97), not from
sqlxos's code, so they check it independently.
"""

import re


def luhn_ok(digits):
    """True if `digits` (only digits) passes the Luhn checksum."""
    if not isinstance(digits, str) or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_ok(iban):
    """True if `iban` (spaces allowed) has the IBAN shape and mod-97 check digits."""
    if not isinstance(iban, str):
        return False
    s = iban.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", s):
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1
