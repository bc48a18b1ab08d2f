# 公开的商品目录：云商店首页、商品页面（也是商家的预览）、价格与服务时间。每个键在 ../en/catalog.ftl 中都有对应。
catalog-title = 云商店
catalog-hero = 软件云商店
catalog-hero-lead = 来自入驻商家的镜像、SaaS、License、专业服务和咨询服务。
catalog-search = 搜索
catalog-search-placeholder = 例如：数据库、backup
catalog-delivery-method = 交付方式
catalog-all = 全部
catalog-category = 分类
catalog-sort-by = 排序方式
catalog-sort-relevance = 相关度
catalog-sort-newest = 最新上架
catalog-clear = 清除筛选
catalog-heading = 商品目录
catalog-heading-count = （{ $count }）
catalog-total-one = 1 个商品
catalog-total = { $n } 个商品
catalog-total-capped = { $n }+ 个商品
catalog-no-match = 没有符合搜索条件的已上架商品。
catalog-empty = 暂无已上架的商品。
catalog-pages = 分页
catalog-previous = 上一页
catalog-next = 下一页
catalog-page-of = 第 { $page } 页，共 { $pages } 页
catalog-seller-prompt = 您是商家吗？
catalog-seller-signup = 注册账号
catalog-seller-or = 或
catalog-seller-sign-in = 登录
catalog-seller-prompt-end = ，进入商家控制台。
# 已隐藏或已下架的商品
catalog-hidden-notice = 商家已将此商品从商品目录中隐藏，无法通过搜索找到。
catalog-removed-title = { $name }：已下架
catalog-removed-notice = 此商品已不再提供：商家已将其从云商店下架。已下单的买家可继续使用其订单。
catalog-browse = 浏览云商店
# 商品页面
catalog-untitled-product = 未命名商品
catalog-consulting = 咨询服务由商家直接提供：
catalog-consulting-link = 访问商家网站
catalog-sentence-end = 。
catalog-introduction = 商品介绍
catalog-user-guide = 使用指南
catalog-details = 商品详情
catalog-specs-prices = 规格与价格
catalog-spec-mode = （{ $mode }）
catalog-free-trial = 免费试用
catalog-trial-note = 免费试用 { $days } 天：每位买家限一次，到期不续订；可随时转为付费规格。
catalog-quantity-range = { $name }：{ $min }–{ $max } { $unit }，步长 { $step }。
catalog-sold-in = 销售区域：{ $regions }
catalog-purchase-limit = {" "}· 购买限制：{ $limit }
catalog-regions-all = 全部区域
catalog-list = { $items }
catalog-limit-once = 每位买家限购一次
catalog-limit-max = 每位买家最多购买 { $max } 个
catalog-col-sku = SKU
catalog-col-price = 价格
catalog-sku-standard = 标准
catalog-simulator = 价格计算器
catalog-spec = 规格
catalog-quantity = 数量
catalog-billing-period = 计费周期
catalog-period-count = 周期数
catalog-calculate = 计算价格
catalog-price-label = 价格：
catalog-after-sales = 售后服务
catalog-phone = 电话
catalog-email = 邮箱
catalog-service-hours = 服务时间
catalog-service-hours-value = { $days }，{ $start }–{ $end }
catalog-no-group = 尚未选择售后服务组。
catalog-presales = 售前咨询
catalog-no-presales = 售前联系方式尚未生效。
# 价格行：金额与币种保持原样；$period 为 month、year、hour 或 once。
catalog-unit = 单位
catalog-price-flat = { $currency } { $amount }{ $period ->
    [month] /月
    [year] /年
    [hour] /小时
   *[once] （一次性计费）
}
catalog-price-unit = { $currency } { $amount }/{ $unit }{ $period ->
    [month] /月
    [year] /年
    [hour] /小时
   *[once] （一次性计费）
}
catalog-price-band = { $currency } { $amount }/{ $unit }{ $period ->
    [month] /月
    [year] /年
    [hour] /小时
   *[once] （一次性计费）
}（数量 { $range }）
catalog-range = { $from }–{ $to }
catalog-range-open = { $from } 及以上
# 服务日（服务组保存的形式）
catalog-day-mon = 周一
catalog-day-tue = 周二
catalog-day-wed = 周三
catalog-day-thu = 周四
catalog-day-fri = 周五
catalog-day-sat = 周六
catalog-day-sun = 周日
