DROP TABLE product_removed_skus;
DROP TABLE application_files;
