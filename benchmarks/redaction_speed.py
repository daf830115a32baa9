"""How many answers a second redaction handles (and the safeguarding screen with it, if present).

    .venv/bin/python benchmarks/redaction_speed.py [--answers 20000] [--repeat 5] [--length 200]

Answers of about ``--length`` characters are made by joining sentences below at random, so they
read like young people's answers. Three mixes are timed:

* "ordinary": no personal data at all, but plenty of words that are also names ("I will",
  "May half term", "I hope", "Grace Academy"), numbers, times and money;
* "realistic": one answer in five holds a piece of personal data (a name, a number, an email
  address, a postcode, a handle, an address);
* "personal": every sentence holds personal data, far harsher than real life.

The process is pinned to one CPU where the system allows it, so the figures are for one core.
It prints the best of ``--repeat`` runs, per second of CPU time and (in brackets) per second of
wall-clock time; on an idle machine the two agree, on a busy one trust the first. Targets: the
issue asks for screen and redact together at 5,000 answers a second or more; redaction alone
aims at 15,000 or more so that the screen has room. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu_model, pin_to_one_cpu  # noqa: E402
from consultations.analysis.profanity import mask  # noqa: E402
from consultations.analysis.redaction import RedactionLists, redact  # noqa: E402

ORDINARY = [
    "I think school should have more mental health support because lots of people struggle.",
    "We need more things to do in the evenings, like youth clubs, there is nothing in town.",
    "The buses are too expensive and they never come on time so I can't get to college.",
    "I feel safe at home but not in town at night because of the groups near the park.",
    "Teachers should listen to us more. They never take us seriously when we report bullying.",
    "I will be there next week if I can. May be late though.",
    "I hope the council reads this and actually does something about it!!",
    "my mum says the bill for the heating is too high and we are always cold",
    "Online safety lessons were good but they were a bit late, we had them in Year 9.",
    "I'm 15 and I've been waiting 18 months for CAMHS. That's not ok.",
    "The Youth Forum is great, I've made loads of friends and gained confidence.",
    "Grace Academy is ok but the toilets are locked during lessons.",
    "In May half term we went to the beach in Minehead and it was amazing.",
    "More police in town would help but they should be nicer to young people.",
    "Knife crime is a problem in my town, teach us about county lines.",
    "I would like to see more green spaces and less litter.",
    "Sometimes I feel like no one cares. I hope things get better.",
    "Being a young carer is hard, I look after my little brother after school.",
    "It's so unfair that 16 year olds can't vote.",
    "the bus from Bridgwater to Wells takes 2 hours which is mad",
    "Mark schemes are confusing and exams are too stressful",
    "Social media is toxic, TikTok and Snapchat make people feel bad about themselves.",
    "We should have free period products in every school.",
    "It will be better if we have a say. Will there be a follow up?",
    "over 2,500 young people took part, the club costs \u00a35 and starts at 7:30",
    "Call 999 if you're in danger or Childline on 0800 1111.",
    "r u ok?? idk lol... its fine tbh, school is kinda rubbish",
    "Frank talks about drugs in school would help, not just scare stories.",
]

PERSONAL = [
    "me and olivia got bullied by kayden and his mates",
    "my step dad dave shouts at me when mum is out",
    "Mr Smith is the best teacher, Miss Jones is strict",
    "text me on 07700 900123 if you want to talk",
    "my email is josh.smith99@hotmail.co.uk",
    "I live at 12 Acacia Avenue, TA1 1AA",
    "add me on snap: lily_rose2010 or @josh_b123",
    "Josh Patel and Will Smith made fun of me",
    "my friend, Zainab, said the same thing",
    "see www.example.co.uk/page for our petition",
]


def _answers(rng: random.Random, count: int, length: int, personal_share: float) -> list[str]:
    answers = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < length:
            pool = PERSONAL if rng.random() < personal_share else ORDINARY
            sentence = rng.choice(pool)
            parts.append(sentence if sentence[-1] in ".!?" else sentence + ".")
        answers.append(" ".join(parts)[: length + 40])
    return answers


def _rate(func, answers: list[str], repeat: int) -> tuple[float, float]:
    """Answers per second of CPU time and of wall-clock time, each the best of ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for text in answers:
            func(text)
        cpu.append(len(answers) / max(time.process_time() - start_cpu, 1e-9))
        wall.append(len(answers) / (time.perf_counter() - start_wall))
    return max(cpu), max(wall)


def _reference() -> float:
    """Microseconds of CPU for a fixed piece of pure Python (best of 7), printed beside the
    results: on a shared or throttled machine it moves with them, so runs can be compared."""
    best = float("inf")
    for _ in range(7):
        start = time.process_time()
        for _ in range(20_000):
            sum(range(100))
        best = min(best, time.process_time() - start)
    return best / 20_000 * 1e6


def _screen():
    """The safeguarding screen, if it is present and loads; else the reason it is not."""
    try:
        from consultations.analysis import safeguarding

        rules = safeguarding.load_screen()
        rules.screen("warm up")
    except Exception as exc:  # any failure just means "not measured this time"
        return None, f"{type(exc).__name__}: {exc}"[:160]
    return rules.screen, ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2021)
    options = parser.parse_args()

    pinned = pin_to_one_cpu()

    lists = RedactionLists(
        schools=["Oakwood Academy", "St Mary's C of E Primary", "Hinton High School"],
        staff_names=["Sarah Jones", "Mr Davies"],
        places=["Little Hinton", "Upper Combe"],
    )
    start = time.perf_counter()
    redact("warm up", extra=lists)
    loaded = time.perf_counter() - start
    screen, missing = _screen()

    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"Run on {now}; Python {platform.python_version()} on {platform.system()}")
    print(f"CPU: {cpu_model()}; nproc {os.cpu_count()}; pinned to one core: {pinned}")
    print(f"Load average when started: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"Reference: sum(range(100)) takes {_reference():.2f} \u00b5s of CPU here.")
    print(f"Loading the name lists and compiling patterns took {loaded * 1000:.0f} ms (once).")
    print(
        f"{options.answers:,} answers of about {options.length} characters per mix; best of "
        f"{options.repeat} runs, in answers a second of CPU time (and of wall-clock time)."
    )
    rng = random.Random(options.seed)
    for mix, share in (("ordinary", 0.0), ("realistic", 0.05), ("personal", 1.0)):
        answers = _answers(rng, options.answers, options.length, share)
        mean = sum(map(len, answers)) / len(answers)
        changed = sum(redact(a).changed for a in answers) / len(answers)
        print(f"\n{mix} mix: mean length {mean:.0f} characters, {changed:.0%} changed by redaction")
        best, wall = _rate(redact, answers, options.repeat)
        verdict = "meets" if best >= 15_000 else "is below"
        print(f"  redact                {best:>9,.0f}  ({wall:,.0f})  {verdict} the 15,000/s aim")
        best, wall = _rate(lambda t: redact(t, extra=lists), answers, options.repeat)
        print(f"  redact with lists     {best:>9,.0f}  ({wall:,.0f})")
        best, wall = _rate(mask, answers, options.repeat)
        print(f"  profanity mask        {best:>9,.0f}  ({wall:,.0f})")
        if screen is None:
            print(f"  screen + redact       not measured: {missing}")
            continue

        def both(text: str) -> None:
            screen(text)
            redact(text)

        best, wall = _rate(both, answers, options.repeat)
        verdict = "meets" if best >= 5000 else "is BELOW"
        print(f"  screen + redact       {best:>9,.0f}  ({wall:,.0f})  {verdict} the 5,000/s target")
    print(f"\nReference at the end: sum(range(100)) takes {_reference():.2f} \u00b5s of CPU.")


if __name__ == "__main__":
    main()
