"""One way to write an amount of money, in every sheet and sentence: 'NT$ 10,000 million' for the currency
'NT$ million', '10,000 EUR' for 'EUR'. Whole amounts, or any from 100 up, without decimals; a small amount that is
not whole with two decimals, or three figures below 1 ('NT$ 12.35 million', 'NT$ 0.025 million'): an entry price
below a million must not read as 0."""

from __future__ import annotations


def amount_text(amount: float) -> str:
    """The number alone: '10,000', '2,350', '0.25'."""
    if abs(amount) >= 100 or abs(amount - round(amount)) < 5e-3:
        return f"{amount:,.0f}"
    if abs(amount) >= 1:
        return f"{amount:,.2f}".rstrip("0").rstrip(".")
    return f"{amount:.3g}"


def money_text(amount: float, currency: str) -> str:
    """'NT$ 10,000 million' for 'NT$ million'; '10,000 EUR' for 'EUR'; '-NT$ 5 million' below 0. A currency whose
    first word is a symbol ('NT$', '€') goes before the number, the rest of it after; a word ('EUR') after."""
    number = amount_text(abs(amount))
    sign = "-" if amount < 0 and number.strip("0.,") else ""
    first, _, rest = currency.strip().partition(" ")
    if first and not first[-1].isalpha():
        return f"{sign}{first} {number}" + (f" {rest}" if rest else "")
    return f"{sign}{number} {currency.strip()}"
