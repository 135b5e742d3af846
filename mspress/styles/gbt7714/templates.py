"""The blocks of each entry type, 2015 and 2025; ``Block``s are later joined by ``. `` (or ``//``)."""
from __future__ import annotations

import re
from collections.abc import Callable

from mspress.styles.gbt7714.entry import Block, Entry
from mspress.styles.gbt7714.fields import first_place, first_publisher, plain_number

Template = Callable[[Entry, str], list[Block]]


def blocks(*parts: Block | str | None) -> list[Block]:
    result = []
    for part in parts:
        if isinstance(part, Block):
            if part.pieces:
                result.append(part)
        elif part:
            result.append(Block().add(part))
    return result


class Host(Block):
    """A block introduced by ``//`` rather than ``. ``: the host of a contribution."""


# --- shared pieces ------------------------------------------------------------------------------


def author_year(e: Entry) -> bool:
    return e.options.system == "author-year"


def head(e: Entry, *roles: str) -> str:
    return e.names(*(roles or ("author", "editor")))


def title_block(e: Entry, letters: str, title: str | None = None, extra: str = "", volume: bool = True) -> Block:
    """Title, `: volume` (or series and volume), `: number` for reports and patents, then the type code.

    Without a title there is no type code either (a fragment of an entry).
    """
    text = e.title() if title is None else title
    series = e.get("series")
    label = e.volume_label() if volume else ""
    if series and label:
        text = f"{series}{e.p.colon}{label}\u2003{text}"
    elif label and text:
        text = f"{text}{e.p.colon}{label}"
    if extra:
        text = f"{text}{e.p.colon}{extra}" if text else extra
    if not text:
        return Block()
    return Block().add(text, e.title_href).add(e.code(letters) if letters else "")


def translator(e: Entry) -> str:
    names = e.names("translator")
    return f"{names}{e.p.comma}{e.term('译', 'trans.')}" if names else ""


def urldate_2015(e: Entry) -> str:
    return e.urldate() if e.options.edition == 2015 and e.url else ""


def publication(e: Entry, place_field: tuple[str, ...] = ("address", "location"),
                publisher_field: tuple[str, ...] = ("publisher",), year: str | None = None, pages: bool = True,
                keep_year: bool = False) -> Block:
    """``place: publisher, year: pages`` with whatever of it the entry has.

    The author-year system moves the year to the head, except an archive's date of formation (``keep_year``).
    """
    p = e.p
    place, publisher = first_place(e.get(*place_field)), first_publisher(e.get(*publisher_field))
    text = place
    if publisher:
        text = f"{text}{p.colon}{publisher}" if text else publisher
    year = (e.get("year") or e.year) if year is None else year
    if year and (keep_year or not author_year(e)):
        text = f"{text}{p.comma}{year}" if text else year
    if pages and e.pages():
        text = f"{text}{p.colon}{e.pages()}" if text else e.pages()
    return Block().add(text).add(urldate_2015(e))


def link_blocks(e: Entry) -> list[Block]:
    out = []
    if e.url:
        out.append(Block().add(e.url, e.url))
    if e.doi:
        out.append(Block().add("DOI:").add(e.doi, f"https://doi.org/{e.doi}"))
    cstr = e.raw("cstr")
    if cstr and e.options.edition == 2025 and cstr not in e.url:
        out.append(Block().add(f"CSTR:{cstr}"))
    return out


# --- types -------------------------------------------------------------------------------------


def book(e: Entry, letters: str) -> list[Block]:
    # a manual's or report-like book's organization publishes it when no publisher is given
    pub = publication(e, publisher_field=("publisher", "organization"))
    return blocks(head(e), title_block(e, letters), translator(e), e.edition(), pub, *link_blocks(e))


def collection(e: Entry, letters: str) -> list[Block]:
    return blocks(head(e, "editor", "author"), title_block(e, letters), translator(e), e.edition(), publication(e), *link_blocks(e))


def contribution(e: Entry, letters: str) -> list[Block]:
    """A chapter or a conference paper: ``title[M]//editors. host title: volume. edition. place: …``."""
    p = e.p
    booktitle = e.title("booktitle") or e.get("maintitle")
    if not booktitle and e.get("eventtitle") and letters == "C":
        host_text = e.get("eventtitle")
        year = "" if author_year(e) else e.year
        tail = f"{p.comma}{year}" if year else ""
        if e.pages():
            tail += f"{p.colon}{e.pages()}"
        return blocks(head(e, "author"), title_block(e, letters, extra=""), translator(e),
                      Host().add(host_text + tail).add(urldate_2015(e)), *link_blocks(e))
    volume = "" if e.get("series") else e.volume_label()  # with a series, the volume is the series' (LNCS 1666)
    host_title = f"{booktitle}{p.colon}{volume}" if volume and booktitle else (booktitle or volume)
    translated = translator(e) if e.options.edition == 2025 else None  # 2025 puts the translator before //
    return blocks(head(e, "author"), title_block(e, letters, volume=False), translated, *host(e, host_title),
                  e.edition(), publication(e), *link_blocks(e))


def host(e: Entry, host_title: str) -> list[Block | str]:
    """``//editors. host title`` or, without editors, ``//host title``."""
    editors = e.names("editor", "bookauthor")
    return [Host().add(editors), host_title] if editors else [Host().add(host_title)]


def standard_in_collection(e: Entry, letters: str) -> list[Block]:
    title = title_block(e, letters, extra=e.get("number"))
    return blocks(head(e, "author"), title, *host(e, e.title("booktitle")), e.edition(), publication(e), *link_blocks(e))


def article(e: Entry, letters: str) -> list[Block]:
    p = e.p
    journal = e.journal()
    year = "" if author_year(e) else e.year
    volume, number = plain_number(e.get("volume")), e.number("number", "issue")
    pages = e.pages() or e.raw("eid")
    text = journal
    if year:
        text = f"{text}{p.comma}{year}" if text else year
    if volume:
        text = f"{text}{p.comma}{volume}" if text else volume
    if number:
        text += f"{p.open_paren}{number}{p.close_paren}"
    if not (volume or number or pages) and e.date and e.options.edition == 2025:
        text = f"{journal}{p.comma}{e.date}" if journal else e.date
    if pages:
        text = f"{text}{p.colon}{pages}" if text else pages
    return blocks(head(e), title_block(e, letters, volume=False), translator(e), Block().add(text).add(urldate_2015(e)),
                  *link_blocks(e))


def newspaper(e: Entry, letters: str) -> list[Block]:
    p = e.p
    date = e.date or e.year
    text = e.journal()
    if date:
        text = f"{text}{p.comma}{date}" if text else date
    page = e.pages() or e.number("number", "issue")  # the page (版次), which exporters also write as the number
    if page:
        text += f"{p.open_paren}{page}{p.close_paren}"
    return blocks(head(e), title_block(e, letters, volume=False), Block().add(text).add(urldate_2015(e)), *link_blocks(e))


def periodical(e: Entry, letters: str) -> list[Block]:
    """A run of a serial: ``1957(1)-1990(4). 北京: 北京图书馆, 1957-1990``; ranges from ``--``, ``–`` or ``date = 1957/1990``."""
    p = e.p
    volume = re.sub(r"\s*(?:--|–|—)\s*", "-", e.get("volume"))
    date = e.raw("date") or e.raw("year")
    years = re.split(r"\s*(?:/|--|–|—)\s*", date) if re.search(r"\d{4}\s*(?:/|--|–|—)", date) else [date]
    issues = re.split(r"\s*(?:--|–|—|-)\s*", e.get("number"))
    if not volume and len(issues) == 2 and len(years) == 2:  # year {1957/1990}, number {1--4} → 1957(1)-1990(4)
        volume = f"{years[0]}{p.open_paren}{issues[0]}{p.close_paren}-{years[1]}{p.open_paren}{issues[1]}{p.close_paren}"
    if len(years) == 2 and years[1] in ("..", ""):  # 1984/.. : still published
        years[1] = ""
    year = "-".join(years) if len(years) == 2 else (e.get("year") or date)
    year = re.sub(r"\s*(?:--|–|—)\s*", "-", year)
    if e.options.edition == 2025:
        volume = volume.replace("-", "—") if volume else volume
        year = re.sub(r"-", "—", year)
    return blocks(head(e, "editor", "author"), title_block(e, letters, volume=False), volume, publication(e, year=year),
                  *link_blocks(e))


def thesis(e: Entry, letters: str) -> list[Block]:
    return blocks(head(e), title_block(e, letters), publication(e, publisher_field=("school", "institution", "publisher")),
                  *link_blocks(e))


def dated(e: Entry) -> Block:
    """``(2012-01-16)[2013-03-26]``: the creation or update date and the access date of online items."""
    p = e.p
    date = e.date or ("" if author_year(e) else e.year)  # a year alone dates the page too (author-year: in the head)
    text = f"{p.open_paren}{date}{p.close_paren}" if date else ""
    return Block().add(text).add(e.urldate() if e.url else "")


def report(e: Entry, letters: str) -> list[Block]:
    number = e.get("number")
    kind = e.get("type")
    if number and re.fullmatch(r"[A-Z]{1,5}", kind):  # type = {AD}, number = {730029}: the number is AD 730029
        number = f"{kind} {number}"
    title = title_block(e, letters, extra=number)
    if e.get("address", "location", "institution", "publisher"):
        pub = publication(e, publisher_field=("institution", "publisher"))
    elif e.options.edition == 2025:
        pub = Block().add(_date_pages(e))
    elif e.date and e.url:
        pub = dated(e)
    else:
        pub = publication(e)
    return blocks(head(e), title, translator(e), e.edition(), pub, *link_blocks(e))


def _date_pages(e: Entry) -> str:
    text = e.date or e.year  # a report's release date stays even in the author-year system
    if e.pages():
        text = f"{text}{e.p.colon}{e.pages()}" if text else e.pages()
    return text


def standard(e: Entry, letters: str) -> list[Block]:
    if e.get("booktitle"):
        return standard_in_collection(e, letters)
    if e.options.edition == 2025:
        number = e.get("number")
        title = e.title()
        gap = "\u2003" if e.cjk else " "  # the standard sets an em space after a Chinese standard's number
        text = f"{number}{gap}{title}" if number and title else (number or title)
        return blocks(Block().add(text).add(e.code(letters)), *link_blocks(e))
    pub = publication(e) if e.get("publisher", "address") else (dated(e) if e.url else publication(e))
    return blocks(head(e), title_block(e, letters, extra=e.get("number")), pub, *link_blocks(e))


def patent(e: Entry, letters: str) -> list[Block]:
    owner = e.names("holder") or e.names("author")
    date = e.date or e.year
    text = date
    if e.pages():
        text = f"{text}{e.p.colon}{e.pages()}" if text else e.pages()
    # 2025 prints the application number (Zotero's call-number), 2015 the publication number
    numbers = ("applicationnumber", "number") if e.options.edition == 2025 else ("number", "applicationnumber")
    return blocks(owner, title_block(e, letters, extra=e.get(*numbers)), Block().add(text).add(urldate_2015(e)),
                  *link_blocks(e))


def online(e: Entry, letters: str) -> list[Block]:
    return blocks(head(e), title_block(e, letters), dated(e), *link_blocks(e))


def archive(e: Entry, letters: str) -> list[Block]:
    title = title_block(e, letters, extra=e.get("number"))
    if e.get("address", "institution", "publisher"):
        pub = publication(e, publisher_field=("institution", "publisher"), year=e.date or e.get("year"),
                          keep_year=e.options.edition == 2025)
        return blocks(head(e), title, pub, *link_blocks(e))
    if e.options.edition == 2015 and e.date:
        year = "" if author_year(e) else e.year
        return blocks(head(e), title, Block().add(f"{year}{e.p.open_paren}{e.date}{e.p.close_paren}").add(e.urldate()),
                      *link_blocks(e))
    return blocks(head(e), title, Block().add(_date_pages(e)), *link_blocks(e))


def map_(e: Entry, letters: str) -> list[Block]:
    """2025's map: ``title. 1:25000[CM]. place: publisher, year. 128cm×84cm``; 2015 sets a map like a book."""
    scale = e.raw("scale") if e.options.edition == 2025 else ""
    dimensions = e.raw("dimensions") if e.options.edition == 2025 else ""
    if scale:
        title = Block().add(e.title())
        scaled = title_block(e, letters, title=scale)
        parts = [title, scaled]
    else:
        parts = [title_block(e, letters)]
    if e.get("booktitle", "journaltitle", "journal", "maintitle"):  # a map in an atlas or a book
        host = Host().add(e.title("booktitle") or e.get("journaltitle", "journal", "maintitle"))
        return blocks(head(e), *parts, host, e.edition(), publication(e), dimensions, *link_blocks(e))
    return blocks(head(e), *parts, e.edition(), publication(e), dimensions, *link_blocks(e))


def software(e: Entry, letters: str) -> list[Block]:
    """A program or database: ``title[CP/DK]. V2.1. place: publisher, year`` or, online, ``(date)[accessed]. URL``."""
    version = e.raw("version")
    version_text = (version if re.match(r"(?i)^v|版", version) else f"V{version}") if version else None
    if e.get("publisher", "address", "location", "organization", "institution"):
        pub = publication(e, publisher_field=("publisher", "organization", "institution"), pages=False)
        return blocks(head(e), title_block(e, letters), version_text, pub, *link_blocks(e))
    return blocks(head(e), title_block(e, letters), version_text, dated(e), *link_blocks(e))


def dataset(e: Entry, letters: str) -> list[Block]:
    version = e.raw("version")
    p = e.p
    platform = e.get("publisher", "organization", "institution", "booktitle", "journaltitle", "journal")
    if e.options.edition == 2015:  # 2015: platform, year[accessed]; no version slot
        year = "" if author_year(e) else e.year
        text = f"{platform}{p.comma}{year}" if platform and year else platform or year
        return blocks(head(e), title_block(e, letters), Block().add(text).add(e.urldate()), *link_blocks(e))
    when = e.date or e.year
    text = platform + (f"{p.open_paren}{when}{p.close_paren}" if when else "")
    return blocks(head(e), title_block(e, letters), f"V{version}" if version else None, Block().add(text).add(e.urldate()),
                  *link_blocks(e))


def preprint(e: Entry, letters: str) -> list[Block]:
    version = e.raw("version")
    p = e.p
    platform = e.preprint_server or e.get("archiveprefix", "eprinttype", "publisher", "institution")
    if e.options.edition == 2015:  # 2015 has no preprint template: the platform as publisher (arXiv, 2012[…])
        year = "" if author_year(e) else e.year
        text = f"{platform}{p.comma}{year}" if platform and year else platform or year
    else:
        when = e.date or e.year
        text = platform + (f"{p.open_paren}{when}{p.close_paren}" if when else "")
    version_text = f"V{version}" if version and e.options.edition == 2025 else None  # 2015 has no version slot
    return blocks(head(e), title_block(e, letters, volume=False), version_text, Block().add(text).add(e.urldate()),
                  *link_blocks(e))


TYPES: dict[str, tuple[str, Template]] = {
    "book": ("M", book), "mvbook": ("M", book), "booklet": ("M", book), "manual": ("M", book),
    "collection": ("G", collection), "mvcollection": ("G", collection), "reference": ("G", collection),
    "proceedings": ("C", collection), "mvproceedings": ("C", collection),
    "incollection": ("M", contribution), "inbook": ("M", contribution), "inreference": ("M", contribution),
    "bookinbook": ("M", contribution), "suppbook": ("M", contribution), "suppcollection": ("M", contribution),
    "mvreference": ("G", collection), "suppperiodical": ("J", article), "review": ("J", article),
    "movie": ("EB", online), "artwork": ("Z", online), "performance": ("Z", book),
    "inproceedings": ("C", contribution), "conference": ("C", contribution),
    "article": ("J", article), "periodical": ("J", periodical), "newspaper": ("N", newspaper),
    "phdthesis": ("D", thesis), "mastersthesis": ("D", thesis), "thesis": ("D", thesis),
    "techreport": ("R", report), "report": ("R", report),
    "standard": ("S", standard), "patent": ("P", patent),
    "online": ("EB", online), "www": ("EB", online), "electronic": ("EB", online), "webpage": ("EB", online),
    "video": ("EB", online), "audio": ("EB", online), "image": ("Z", online), "music": ("EB", online),
    "software": ("CP", software), "dataset": ("DS", dataset), "database": ("DB", software),
    "archive": ("A", archive), "letter": ("A", archive), "legislation": ("A", archive), "legal": ("A", archive),
    "map": ("CM", map_), "preprint": ("PP", preprint), "unpublished": ("Z", book), "misc": ("Z", book),
}


def template_for(e: Entry) -> tuple[str, Template]:
    kind = e.ref.entry_type
    if kind in ("online", "misc", "article", "unpublished") and e.raw("eprint") and e.raw("archiveprefix", "eprinttype") \
            and not e.raw("journal", "journaltitle"):
        kind = "preprint"  # how Zotero and arXiv export a preprint
    if kind == "article" and e.preprint_server:
        kind = "preprint"  # journal = {arXiv preprint arXiv:…} or DBLP's {CoRR}: a preprint, not a journal
    if kind in ("online", "misc", "unpublished") and e.raw("pubstate").lower() in ("prepublished", "preprint") \
            and e.raw("eprinttype", "archiveprefix", "publisher"):
        kind = "preprint"  # Better BibTeX's preprint: pubstate = {prepublished}, eprinttype = {bioRxiv}
    if kind == "article" and e.raw("entrysubtype").lower() == "newspaper":
        return "N", newspaper
    letters, template = TYPES.get(kind, ("Z", book))
    if kind == "image" and e.url:
        letters = "EB"
    if kind == "preprint" and e.options.edition == 2015:
        letters = "A"
    if kind == "preprint":
        return letters, preprint
    if kind == "misc" and e.url and not e.get("publisher"):
        return "EB", online
    return letters, template
