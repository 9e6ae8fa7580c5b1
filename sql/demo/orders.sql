-- Demo data for index advice: 200,000 orders of 20,000 customers over three
-- years, primary key only. Works in PostgreSQL.
CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id int    NOT NULL,
    status      text   NOT NULL,
    created_at  date   NOT NULL,
    total       numeric(10, 2) NOT NULL
);
INSERT INTO orders
SELECT g, (g * 7919) % 20000, (ARRAY['open', 'paid', 'shipped', 'returned'])[1 + g % 4],
       date '2023-01-01' + (g % 1095), round((g % 50000) / 100.0, 2)
FROM generate_series(1, 200000) g;
ANALYZE orders;
