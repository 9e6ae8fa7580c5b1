-- A small customer table with personal data, the same in every engine.
CREATE TABLE customers (
    id        integer PRIMARY KEY,
    name      varchar(100) NOT NULL,
    email     varchar(200) NOT NULL,
    phone     varchar(40),
    card      varchar(40),
    ssn       varchar(20),
    iban      varchar(40),
    birthday  date,
    salary    integer
);

INSERT INTO customers VALUES
 (1, 'Ada Lovelace',     'ada.lovelace@example.com', '+44 20 7946 0958', '4539 1488 0343 6467', '123-45-6789', 'GB82 WEST 1234 5698 7654 32', '1815-12-10', 91000),
 (2, 'Grace Hopper',     'grace@navy.example.mil',   '+1 (555) 867-5309', '5425233430109903',   '987-65-4321', 'DE89 3704 0044 0532 0130 00', '1906-12-09', 123500),
 (3, 'Edsger Dijkstra',  'ewd@cs.example.edu',       '+31 20 555 0199',   '374245455400126',    '555-12-3456', 'NL91 ABNA 0417 1643 00',      '1930-05-11', 87250),
 (4, 'Barbara Liskov',   'liskov@mit.example.edu',   '+1 617 555 0143',   '6011000990139424',   '078-05-1120', 'FR14 2004 1010 0505 0001 3M02 606', '1939-11-07', 150000),
 (5, 'Donald Knuth',     'knuth@stanford.example.edu', '+1 650 555 0100', '3530111333300000',   '219-09-9999', 'CH93 0076 2011 6238 5295 7', '1938-01-10', 99999);
