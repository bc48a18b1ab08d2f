DROP TRIGGER products_version ON products;
DROP FUNCTION bump_company_product_version();
DROP TABLE company_product_versions;
