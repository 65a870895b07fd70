"""Services pack code reaches through st2go's REST API."""
