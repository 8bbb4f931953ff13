"""Taking a search view away: every match as CSV or JSON lines, the newest as Atom, large exports as background jobs.

rows.py loads plain values a chunk at a time; formats.py turns them into CSV or JSON lines;
atom.py makes feeds; jobs.py writes large exports to files in the background; views.py
decides which way a request goes.
"""
