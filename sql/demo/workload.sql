-- A small application workload over sql/demo/orders.sql: lookups by
-- customer, a customer's recent orders, a day's revenue, a status report.
SELECT count(*) FROM orders WHERE customer_id = 42;
SELECT count(*) FROM orders WHERE customer_id = 4242;
SELECT id, total FROM orders WHERE customer_id = 77 ORDER BY created_at DESC LIMIT 5;
SELECT id, total FROM orders WHERE customer_id = 1234 ORDER BY created_at DESC LIMIT 5;
SELECT sum(total) FROM orders WHERE created_at = date '2024-03-01';
SELECT sum(total) FROM orders WHERE created_at = date '2025-06-30';
SELECT status, count(*) FROM orders GROUP BY status;
