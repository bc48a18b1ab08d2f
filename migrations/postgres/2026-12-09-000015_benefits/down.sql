DROP TABLE benefit_requests;
DELETE FROM applications WHERE kind IN ('banner_request', 'featured_request', 'test_coupon_request');
ALTER TABLE applications DROP CONSTRAINT applications_kind_check;
ALTER TABLE applications ADD CONSTRAINT applications_kind_check CHECK (kind IN ('registration',
    'product_release', 'product_modification', 'product_removal', 'business_contact_change',
    'presales_info_change', 'company_name_change'));
