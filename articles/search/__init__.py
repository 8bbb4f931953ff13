"""Search: the query language, Newsdesk's analysis and highlighting, the index queue, and the engines.

selectors.py is where every page asks; engines/ holds the one boundary (base.py) and the two
engines behind it, Whoosh (embedded) and SolrCloud (distributed).
"""
