#!/usr/bin/env python3
"""Writes zones.json, the own world's facts, from Debian's tzdata package as installed (/usr/share/zoneinfo):
for every row of zone.tab (one time zone, one country code) its city, its country (iso3166.tab's name) and its
standard UTC offset in 2026 (the smaller of its offsets on 15 January and 15 July, through Python's zoneinfo, which
reads the same package's compiled zones). tzdata is in the public domain (README.md). Python 3 standard library only.

    python3 examples/own-world/tzdata-facts.py [--zoneinfo /usr/share/zoneinfo]
"""
import argparse
import datetime
import json
import pathlib
import subprocess
import zoneinfo

here = pathlib.Path(__file__).resolve().parent


def rows(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def offset(zone, root):
    # The standard offset: daylight saving time adds to it, so it is the smaller of a winter and a summer offset
    # (for both hemispheres). 2026 is named so that the file does not change with the day it is made.
    tz = zoneinfo.ZoneInfo.from_file(open(root / zone, "rb"), key=zone)
    utc = datetime.timezone.utc
    minutes = min(int(datetime.datetime(2026, m, 15, 12, tzinfo=utc).astimezone(tz).utcoffset().total_seconds()) // 60
                  for m in (1, 7))
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def tzdata_version(root):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "tzdata"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return (root / "tzdata.zi").read_text(encoding="utf-8").splitlines()[0].removeprefix("# version ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zoneinfo", default="/usr/share/zoneinfo", type=pathlib.Path)
    parser.add_argument("--out", default=here / "zones.json", type=pathlib.Path)
    args = parser.parse_args()
    countries = {code: name for code, name in rows(args.zoneinfo / "iso3166.tab")}
    zones = [{"zone": zone, "country_code": code, "country": countries[code], "utc_offset": offset(zone, args.zoneinfo)}
             for code, _coordinates, zone, *_comments in rows(args.zoneinfo / "zone.tab")]
    zones.sort(key=lambda z: z["zone"])
    document = {
        "source": "Debian package tzdata (IANA tz database): /usr/share/zoneinfo/zone.tab, iso3166.tab and the compiled zones",
        "tzdata_version": tzdata_version(args.zoneinfo),
        "licence": "public domain",
        "utc_offset": "standard time in 2026: the smaller of the offsets on 15 January and 15 July, 12:00 UTC",
        "zones": zones,
    }
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(zones)} zones in {len({z['country_code'] for z in zones})} countries, tzdata {document['tzdata_version']}")


if __name__ == "__main__":
    main()
