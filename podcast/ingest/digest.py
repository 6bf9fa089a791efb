"""Weekly digests in any language, read by structure rather than by a list of label words.

A label is a short head that recurs across the papers ("Paper link", or "Paper link" and "Paper URL"
alike); a paper's title is the line above its first label; what a section holds is decided by its
content: URLs are links, prose in the digest's language is the summary, prose in another language
(often quoted with "> ") is the abstract.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from ..errors import InputError
from ..language import detect_language, in_language, main_script
from .common import Parsed, find_date, is_url_line, paper_id, preview
from .lines import SENTENCE_END, Line, clean_title, families, is_count_line, read_line, repeated_texts, strip_decoration

NO_STRUCTURE = "no recurring section labels and no paper links found"
STRUCTURE_HINT = ("a digest needs a title line above each paper's sections, with section labels such as "
                  "'Paper link' that recur from paper to paper; see `podcast papers FILE`")
# Only for a digest with nothing that recurs (a single paper): common labels, as a tie-breaker.
TIE_BREAKER = frozenset("abstract summary introduction intro link links paper link read more tl;dr "
                        "소개 초록 요약 링크 परिचय सार लिंक".split() + ["paper link", "read more", "논문 링크"])
PAPER_HOSTS = ("arxiv.org", "alphaxiv.org", "openreview.net", "aclanthology.org", "doi.org", "papers.nips.cc",
               "proceedings.mlr.press", "semanticscholar.org", "dl.acm.org", "ieeexplore.ieee.org",
               "biorxiv.org", "medrxiv.org", "huggingface.co/papers", "papers.cool", "jmlr.org")
AD_HEADS = frozenset("ad ads advertisement sponsored sponsor promo 광고 विज्ञापन 広告 广告 anuncio publicidad "
                     "إعلان реклама".split())
# Sign-offs that end a digest whose last paper ends in prose (no separator, links or bullets to tell): a tie-breaker.
CLOSING_WORDS = re.compile(
    r"(?:that'?s (?:all|it)\b|see you next|until next (?:week|time)|여기까지|다음 주에 (?:또|다시)|"
    r"बस इतना ही|अगले सप्ताह फिर|今週は以上|また来週|本周就到这里|下周见|eso es todo|hasta la próxima|nos vemos|"
    r"c'est tout pour|à la semaine prochaine|das war'?s für|bis nächste woche|شكر[ًا]* لقراءتكم|نلقاكم)",
    re.IGNORECASE)
MIN_PROSE_WORDS = 6  # a line this long is prose whose script votes for the digest's language
SCRIPT_SAMPLE = 80  # characters of a line that decide its script
MAX_TITLE_WORDS = 40  # a longer "title" is a paragraph that lost its place
SENTENCE_TITLE_WORDS = 6  # a title of at least this many words ending like a sentence is prose


@dataclass
class _Paper:
    title: Line
    links: list[str] = field(default_factory=list)
    said: list[tuple[Line, str]] = field(default_factory=list)  # (line, text) in the digest's language
    foreign: list[tuple[Line, str]] = field(default_factory=list)  # another language: the abstract
    unspoken: list[str] = field(default_factory=list)


def read_lines(text: str) -> list[Line]:
    """Every non-blank line of ``text`` with its shape, labels marked by the digest's structure."""
    lines = [read_line(n, raw.strip()) for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
    _mark_labels(lines)
    return lines


def looks_like_digest(lines: list[Line]) -> bool:
    """True if the lines have recurring labels and a link, or numbered titles with links between them."""
    has_links = any(line.urls for line in lines)
    return has_links and (any(line.label for line in lines) or len(_numbered_titles(lines)) >= 2)


def digest_language(lines: list[Line]) -> str:
    """The language of a digest's own prose: the script most paragraphs are in decides, quotes and titles aside."""
    from .lines import words

    prose = [line.text for line in lines if not line.quoted and not line.url_only and not line.label
             and words(line.text) >= MIN_PROSE_WORDS]
    if not prose:
        return detect_language("\n".join(line.text for line in lines))
    scripts = [main_script(text[:SCRIPT_SAMPLE]) for text in prose]
    votes = Counter(scripts)
    script = max(votes, key=lambda name: (votes[name], name != "latin"))
    return detect_language("\n".join(text for text, found in zip(prose, scripts) if found == script))


def missing_structure(lines: list[Line]) -> str:
    """What the lines lack to be read as a digest, said the way the error message needs it."""
    links = sum(1 for line in lines if line.urls)
    labels = sorted({line.key for line in lines if line.label})
    if links and not labels:
        return (f"{links} line{'s' if links != 1 else ''} with links, but no recurring section labels and no "
                "numbered titles around them")
    if labels and not links:
        return f"recurring section labels ({', '.join(map(repr, labels[:3]))}) but no paper links"
    return NO_STRUCTURE


def _content(lines: list[Line], i: int) -> bool:
    """True if line ``i`` (a possible label) is followed by something a section holds."""
    if lines[i].rest is not None:
        return True
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is None or nxt.rule or nxt.number_mark is not None or nxt.label:
        return False  # a line above a label is a title (or an empty section), not a label
    return bool(nxt.urls) or nxt.quoted or not nxt.key or (nxt.rest is not None and not nxt.label)


def _mark_labels(lines: list[Line]) -> None:
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        if line.key:
            counts[line.key] += 1
    for line in lines:  # first the heads that recur as spelled
        line.label = bool(line.key) and counts[line.key] >= 2
    spellings: dict[str, set[str]] = defaultdict(set)
    candidates = [i for i, line in enumerate(lines) if line.key and _content(lines, i)]
    for i in candidates:
        for family in families(lines[i].key, lines[i].gloss):
            spellings[family].add(lines[i].key)
    recurring = any(lines[i].label for i in candidates)
    for i in candidates:  # then variant spellings: "Code link" beside "Paper link", "(Abstract)" glosses
        line = lines[i]
        line.label = line.label or any(len(spellings[f]) >= 2 for f in families(line.key, line.gloss)) or (
            line.key in TIE_BREAKER)
    first = next((i for i, line in enumerate(lines) if line.label), len(lines))
    for i in (i for i in candidates if recurring and not lines[i].label and lines[i].rest is None and i > first):
        # A one-off head between two paragraphs of a paper, or above a link, is a label too.
        before, after = lines[i - 1], lines[i + 1]
        prose_before = (not before.key or (before.label and before.rest)) and not before.urls and not before.rule \
            and before.number_mark is None
        if prose_before or after.url_only:
            lines[i].label = True
    for i, line in enumerate(lines):  # a label heads something, or is an empty section before the next title
        if line.label and not _content(lines, i):
            line.empty = counts[line.key] >= 2 and i + 2 < len(lines) and not lines[i + 1].label \
                and lines[i + 2].label
            line.label = line.empty


def _numbered_titles(lines: list[Line]) -> list[int]:
    """Indices of the longest run of lines numbered 1, 2, 3… with text between them."""
    best: list[int] = []
    for start, line in enumerate(lines):
        if line.number_mark != 1 or line.label:
            continue
        run = [start]
        for i in range(start + 2, len(lines)):
            if lines[i].number_mark == len(run) + 1 and i - run[-1] > 1:
                run.append(i)
        best = max(best, run, key=len)
    return best


def _plain(line: Line) -> bool:
    """True for a line of text: not a label, link, quote or separator."""
    return bool(line.text) and not line.label and not line.url_only and not line.quoted and not line.rule


def _sentence(line: Line) -> bool:
    """True if the line ends like a sentence, as prose does and titles do not."""
    return line.text[-1:] in SENTENCE_END.replace("?", "")


def _title_at(lines: list[Line], prev: int, floor: int) -> int:
    """The title of a paper whose first label follows line ``prev``: that line, or the one above its prose."""
    k = prev
    while k - 1 > floor and _sentence(lines[k]) and _plain(lines[k - 1]):
        k -= 1
    return k if not _sentence(lines[k]) else prev


def _starts(lines: list[Line], source: str) -> tuple[list[int], set[int]]:
    """Index of each paper's title line, and those whose title goes on over the next line."""
    if not any(line.label for line in lines):
        return _numbered_titles(lines), set()
    boilerplate = repeated_texts(lines)
    starts: list[int] = []
    joined: set[int] = set()  # "Hindi title" and "English title" on two lines after the last paper's links
    seen: set[str] = set()  # label spellings of the current paper
    opening: set[str] = set()  # families of the labels papers open with ("intro" of "Paper intro")
    spelled: set[str] = set()  # every label spelling so far
    last_label = -1
    for i, line in enumerate(lines):
        if not line.label:
            continue
        prev = i - 1
        while prev >= 0 and lines[prev].rule:
            prev -= 1
        titled = prev >= 0 and _plain(lines[prev])
        end = last_label + 1  # past the link lines of the last section
        while end < prev and lines[end].urls:
            end += 1
        held_links = last_label >= 0 and (bool(lines[last_label].urls) or end > last_label + 1
                                          or lines[last_label].empty)
        gap = [k for k in range(end, prev + 1) if _plain(lines[k]) and lines[k].text.casefold() not in boilerplate
               and not is_count_line(lines[k])]
        after_links = held_links and prev >= end and not any(lines[k].urls for k in range(end, prev + 1))
        variant = line.key not in spelled  # a spelling not met before, of a family papers open with
        again = line.key in seen or (variant and bool(families(line.key, line.gloss) & opening))
        if not starts or (titled and (again or after_links) and prev not in starts):
            if not titled:
                raise InputError(
                    f"line {line.number} of {source}: section label {preview(line.raw)!r} comes before any paper "
                    "title", "put each paper's title on its own line above its sections")
            start = _title_at(lines, prev, starts[-1] if starts else -1)
            if after_links and len(gap) == 2 and gap[1] == prev and not any(map(_sentence, (lines[k] for k in gap))):
                start = gap[0]
                joined.add(start)
            starts.append(start)
            seen = set()
            opening |= families(line.key, line.gloss)
        seen.add(line.key)
        spelled.add(line.key)
        last_label = i
    return starts, joined


def parse_digest(text: str, source: str, language: str | None = None, lines: list[Line] | None = None) -> Parsed:
    """Papers, front matter and closing of a weekly digest."""
    lines = lines if lines is not None else read_lines(text)
    starts, joined = _starts(lines, source)
    if not starts:
        raise InputError(f"{source}: {NO_STRUCTURE}", STRUCTURE_HINT)
    language = language or digest_language(lines)
    boilerplate = repeated_texts(lines) - {lines[start].text.casefold() for start in starts}
    papers = []
    closing: list[Line] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        title = lines[start]
        if start in joined:  # a title on two lines is a bilingual pair
            title = replace(title, raw=f"{clean_title(title.raw)[0]} / {clean_title(lines[start + 1].raw)[0]}")
        body = lines[start + 1 + (start in joined) : end]
        if n + 1 == len(starts):
            cut = _closing_start(body, lines[starts[0] : start], boilerplate)
            body, closing = body[:cut], body[cut:]
        papers.append(_read_paper(title, body, boilerplate, language))
    from .front import closing_parts, front_matter, title_pair

    said = " ".join(text for paper in papers for _, text in paper.said).casefold()
    vocabulary = set(re.findall(r"[^\W\d_]+", said))
    result = [_finish(paper, source, lambda title: title_pair(title, language, vocabulary)) for paper in papers]
    _check(papers, result, source)
    intro, overview = front_matter(lines[: starts[0]])
    closing_text, closing_links, unspoken = closing_parts(closing, boilerplate, AD_HEADS)
    return Parsed(
        kind="digest",
        papers=result,
        date=find_date("\n".join(line.raw for line in lines[: starts[0]])) or find_date(closing_text),
        intro_text=intro,
        closing_text=closing_text,
        closing_links=closing_links,
        overview=overview,
        unspoken=[text for paper in papers for text in paper.unspoken] + unspoken,
        language=language,
        text=text,
    )


def _closing_start(body: list[Line], before: list[Line], boilerplate: set[str]) -> int:
    """Where the last paper ends and the digest's closing begins."""
    from .newsletter import CLOSING_START, is_junk

    bullets_elsewhere = any(line.bullet for line in before)
    in_links = False
    seen_content = False
    for i, line in enumerate(body):
        if line.label:
            in_links = bool(line.rest and is_url_line(line.rest)) or (
                line.rest is None and i + 1 < len(body) and body[i + 1].url_only)
            seen_content = seen_content or bool(line.rest)
            continue
        ends = line.rule or line.text.casefold() in boilerplate or is_junk(line.text) or bool(
            CLOSING_START.match(line.text) or CLOSING_WORDS.search(line.text[:80])) or (line.bullet and not bullets_elsewhere and seen_content) or (
            in_links and not line.urls)
        if ends and seen_content:
            return i
        seen_content = seen_content or bool(line.text)
        in_links = in_links and bool(line.urls)
    return len(body)


def _read_paper(title: Line, body: list[Line], boilerplate: set[str], language: str) -> _Paper:
    from .lines import is_count_line
    from .newsletter import is_junk

    paper = _Paper(title, links=list(title.urls))  # "[Title](https://arxiv.org/abs/…)" links the paper
    group: list[tuple[Line, str]] = []

    def flush() -> None:
        if group:
            said = " ".join(text for _, text in group)
            (paper.said if in_language(said, language) else paper.foreign).extend(group)
            group.clear()

    for line in body:
        text = line.rest if line.label else line.raw
        if line.rule or not text:
            flush()
            continue
        if not line.label and (line.text.casefold() in boilerplate or is_junk(line.text) or is_count_line(line)):
            paper.unspoken.append(line.text)
            continue
        if line.urls and (is_url_line(text) or is_url_line(line.rest or "")):
            paper.links.extend(line.urls)
            continue
        quoted = line.quoted and not line.label
        if line.label or (group and group[-1][0].quoted != quoted):
            flush()
        group.append((line, strip_decoration(text) if quoted else text.strip()))
    flush()
    return paper


def _paper_link_first(links: list[str]) -> list[str]:
    links = list(dict.fromkeys(links))
    first = next((url for url in links if any(host in url.lower() for host in PAPER_HOSTS)
                  or url.lower().split("?")[0].endswith(".pdf")), None)
    return [first, *(url for url in links if url != first)] if first else links


def _finish(paper: _Paper, source: str, title_pair):
    from ..models import Paper

    title, alt = title_pair(clean_title(paper.title.raw)[0])
    said = paper.said or paper.foreign  # the original alone is still what there is to say
    if not paper.links and not said:
        raise InputError(
            f"line {paper.title.number} of {source}: paper {preview(title)!r} has neither a link nor a summary",
            "give it a paper link line with its URL, or delete it")
    links = _paper_link_first(paper.links)
    return Paper(id=paper_id(alt if alt and not paper.links else title, links), title=title, title_alt=alt,
                 links=links, summary="\n\n".join(text for _, text in said), source="digest",
                 abstract="\n\n".join(text for _, text in paper.foreign))


def _check(drafts: list[_Paper], papers: list, source: str) -> None:
    """Errors for a parse that cannot be right: sentence titles, titles inside summaries, a lone missing link."""
    from .lines import SENTENCE_END, words

    for draft, paper in zip(drafts, papers):
        n = words(paper.title)
        if n > MAX_TITLE_WORDS or (n >= SENTENCE_TITLE_WORDS and paper.title[-1] in SENTENCE_END.replace("?", "")):
            raise InputError(
                f"line {draft.title.number} of {source}: the title {preview(paper.title)!r} reads like a sentence",
                "put each paper's title on its own line directly above its first section label")
    titles = {t.casefold(): p for p in papers for t in (p.title, p.title_alt) if words(t) >= 3}
    by_first_word = defaultdict(list)  # long titles, quoted whole inside a paragraph, found by their first word
    for t, p in titles.items():
        if words(t) >= 6:
            by_first_word[t.split()[0]].append((t, p))
    for draft, paper in zip(drafts, papers):
        for line, text in draft.said + draft.foreign:
            cleaned = clean_title(text)[0].casefold()
            other = titles.get(cleaned) or next((p for word in set(cleaned.split()) for t, p in by_first_word.get(word, ())
                                                 if p is not paper and t in cleaned), None)
            if other is not None and other is not paper:
                raise InputError(
                    f"line {line.number} of {source}: the summary of {preview(paper.title, 40)!r} contains the title "
                    f"of another paper, {preview(other.title, 40)!r}",
                    "check that each paper's title line sits directly above its first section label")
    linked = [paper for paper in papers if paper.links]
    missing = [(draft, paper) for draft, paper in zip(drafts, papers) if not paper.links]
    if missing and len(linked) >= 2 and len(missing) < len(linked):
        draft, paper = missing[0]
        raise InputError(
            f"line {draft.title.number} of {source}: paper {preview(paper.title)!r} has no link, "
            f"though {len(linked)} other papers have one",
            "add its paper link, or check that its title line sits above its own sections")
