"""Product search: the index (index.py), the query that reads it (query.py), a listing
read in rank order tier by tier (tiers.py) and the index kept in step with renames
(sync.py)."""
