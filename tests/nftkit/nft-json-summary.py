#!/usr/bin/python3
# Reads `nft -j list ruleset` on stdin and prints one sorted line per object,
# in the format the libnftkit tests print from their own listing.
import json
import sys

lines = []
for item in json.load(sys.stdin)["nftables"]:
    kind, o = next(iter(item.items()))
    if kind == "table":
        flags = o.get("flags", [])
        flags = [flags] if isinstance(flags, str) else flags
        lines.append("table %s %s %s" % (o["family"], o["name"], ",".join(flags) or "-"))
    elif kind == "chain":
        base = ""
        if "hook" in o:
            base = " %s %s %d %s" % (o["type"], o["hook"], o["prio"], o["policy"])
        lines.append("chain %s %s %s%s" % (o["family"], o["table"], o["name"], base))
    elif kind == "rule":
        lines.append("rule %s %s %s %d %s" % (o["family"], o["table"], o["chain"], o["handle"],
                                              o.get("comment", "-")))
    elif kind in ("set", "map"):
        lines.append("set %s %s %s" % (o["family"], o["table"], o["name"]))
    elif kind in ("counter", "quota"):
        lines.append("%s %s %s %s" % (kind, o["family"], o["table"], o["name"]))
print("\n".join(sorted(lines)))
