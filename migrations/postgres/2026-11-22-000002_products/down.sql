DROP INDEX applications_product;
DROP TABLE uploads;
DROP TABLE sku_prices;
DROP TABLE skus;
DROP TABLE specifications;
DROP TABLE products;
