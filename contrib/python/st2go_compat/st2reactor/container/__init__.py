"""The service object st2go hands to a running sensor."""
