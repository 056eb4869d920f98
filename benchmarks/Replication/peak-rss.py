# Runs a command and writes its peak resident set (KiB) to a file: the replication benchmark's stand-in for GNU
# `/usr/bin/time -f %M` (Debian package "time", which nothing installs). getrusage(RUSAGE_CHILDREN).ru_maxrss is the
# largest resident set of any waited-for descendant, and this wrapper has exactly one: the command (samba-tool runs
# its clone in that one python process).
#
#   /usr/bin/python3 peak-rss.py OUT-FILE COMMAND [ARGS...]
#
# The exit code is the command's.
import resource
import subprocess
import sys

out, command = sys.argv[1], sys.argv[2:]
code = subprocess.call(command)
with open(out, "w") as f:
    f.write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
