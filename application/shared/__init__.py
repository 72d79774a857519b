"""What every feature shares: pages, transactions, time and ids."""
