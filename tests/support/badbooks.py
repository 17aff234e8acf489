"""Bad input workbooks, generated at test time: each builder writes one hostile or broken file.

Most start from the small valid workbook of tests/workbooks.py and break one
thing, either as an analyst would in Excel (through openpyxl) or, where Excel
itself never writes such a file, by rewriting a part of the zip container.
"""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile

from tests.support.workbooks import small_workbook


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """Open a written workbook, change it as an analyst would in Excel, save it."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def small(tmp_path: Path, change=None) -> Path:
    return small_workbook(tmp_path / "input.xlsx", change)


def sheet_part(path: Path, title: str) -> str:
    """The zip part (e.g. xl/worksheets/sheet11.xml) that holds the sheet called ``title``."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        relations = archive.read("xl/_rels/workbook.xml.rels").decode()
    sheet = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*/>', workbook).group(0)
    relation_id = re.search(r'r:id="([^"]+)"', sheet).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{relation_id}"[^>]*/>', relations).group(0)
    target = re.search(r'Target="([^"]+)"', target).group(1).lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes], out: Path | None = None) -> Path:
    """Copy the workbook with one zip part changed."""
    out = out or path
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info, change(data) if info.filename == part else data)
    return out


def raw_cell_value(tmp_path: Path, sheet: str, cell: str, raw: str) -> Path:
    """Put a raw <v> text in a numeric cell, as a careless program (not Excel) might write it."""
    path = small(tmp_path)
    pattern = re.compile(rf'<c r="{cell}"([^>]*)><v>[^<]*</v></c>'.encode())

    def change(xml: bytes) -> bytes:
        assert pattern.search(xml), f"{cell} not found"
        return pattern.sub(rf'<c r="{cell}"\1><v>{raw}</v></c>'.encode(), xml)

    return rewrite_part(path, sheet_part(path, sheet), change)


def rows_reordered(tmp_path: Path, sheet: str, twice: bool = False) -> Path:
    """The sheet's second data row stored before its first (or, ``twice``, stored twice), as no spreadsheet
    program writes but a careless generator might: openpyxl silently dropped the row it met late."""
    path = small(tmp_path)
    rows = re.compile(rb'<row r="2"[^>]*>.*?</row><row r="3"[^>]*>.*?</row>', re.DOTALL)

    def change(xml: bytes) -> bytes:
        first, second = re.findall(rb"<row r=\"[23]\"[^>]*>.*?</row>", rows.search(xml).group(0), re.DOTALL)
        return rows.sub(lambda _: first + second + second if twice else second + first, xml, count=1)

    return rewrite_part(path, sheet_part(path, sheet), change)


_made: dict[tuple, tuple[str, bytes]] = {}


def _once(builder):
    """Big files are built once per test session and copied: building them is the slow part."""

    def build(tmp_path: Path, *args, **kwargs) -> Path:
        key = (builder.__name__, args, tuple(sorted(kwargs.items())))
        if key not in _made:
            made = builder(tmp_path, *args, **kwargs)
            _made[key] = (made.name, made.read_bytes())
            made.unlink()
        name, data = _made[key]
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return build


@_once
def many_rows(tmp_path: Path, rows: int, declare: bool | int) -> Path:
    """The Projects sheet with ``rows`` rows; its <dimension> declares them (True), is left out (False) or
    declares another number of rows (an int: a false dimension). Streamed, so cheap to write."""
    path = small(tmp_path)
    part = sheet_part(path, "Projects")
    out = tmp_path / "many-rows.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != part:
                target.writestr(info, data)
                continue
            text = data.decode()
            head, rest = text.split("<sheetData>")
            header_row = rest[: rest.index("</row>") + len("</row>")]
            tail = rest.split("</sheetData>")[1]
            declared = rows if declare is True else declare
            dimension = f'<dimension ref="A1:J{declared}"/>' if declared else ""
            head = re.sub(r"<dimension [^>]*/>", dimension, head)
            with target.open(info.filename, "w") as stream:
                stream.write((head + "<sheetData>" + header_row).encode())
                for start in range(2, rows + 1, 20_000):
                    stream.write(
                        "".join(
                            f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'
                            for n in range(start, min(start + 20_000, rows + 1))
                        ).encode()
                    )
                stream.write(("</sheetData>" + tail).encode())
    path.unlink()
    return out


def macro_workbook(tmp_path: Path, change=None) -> Path:
    """The small workbook saved as a macro-enabled .xlsm with a VBA project part."""
    path = small(tmp_path, change)
    out = tmp_path / "input.xlsm"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            target.writestr(info, data)
        # Not a real VBA project (we never write macros): an OLE header and the text of an auto-run macro.
        target.writestr(
            "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Sub Workbook_Open(): Shell "calc": End Sub'
        )
    path.unlink()
    return out


def encrypted(tmp_path: Path) -> Path:
    """A real password-protected workbook (ECMA-376 agile encryption, as Excel writes it)."""
    plain = small(tmp_path)
    out = tmp_path / "protected.xlsx"
    with open(plain, "rb") as source, open(out, "wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    plain.unlink()
    return out


def zip_of(tmp_path: Path, name: str, parts: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return path


@_once
def bomb(tmp_path: Path, mebibytes: int) -> Path:
    """A zip whose one sheet inflates from well under a megabyte to ``mebibytes`` MiB of zeros."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            block = b"\0" * (1 << 20)
            for _ in range(mebibytes):
                stream.write(block)
    return path


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]>"
)


def entity_bomb(tmp_path: Path) -> Path:
    path = small(tmp_path)
    return rewrite_part(path, sheet_part(path, "Years"), lambda xml: BILLION_LAUGHS + xml.split(b"?>", 1)[-1])


def random_bytes(tmp_path: Path) -> Path:
    path = tmp_path / "input.xlsx"
    path.write_bytes(random.Random(5).randbytes(20_000))
    return path


def truncated(tmp_path: Path) -> Path:
    path = small(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path
