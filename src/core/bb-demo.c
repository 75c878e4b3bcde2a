/* bb-demo.c — realistic sample data for an empty book
 *
 * Copyright 2026 The Billbook developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fills an empty book with the customers of a small shop whose owner
 * reads Chinese: about 60 % Chinese customers (names, mobiles, addresses,
 * WeChat IDs), 40 % customers abroad (the US, the UK, Singapore), with
 * companies, tags, notes, payment terms, credit limits, two custom fields
 * and an interaction log that gives the reminders some follow-ups.
 *
 * Then the shop's bills over the same ten years: a car-care shop with a
 * café corner that also sells coffee beans and delivers. Each bill has
 * 1–5 lines in the customer's language, its totals computed by core's
 * rule (bb_invoice_line_compute()), and numbers from the book's pattern
 * in issue-date order without gaps, the sequence of each year left in
 * "billing.seq.YYYY" so that issuing carries on from there. Older
 * customers have more bills, so later years are busier; the last weeks
 * hold drafts and bills in review, and a few bills are void.
 *
 * No payments yet: every issued bill is open for its whole total, and
 * customers.outstanding sums them. (The payments issue adds payments
 * and allocations, about 70 % of bills paid on time.)
 *
 * The book is reproducible: the same seed, sizes and "today" give the
 * same rows, byte for byte. Randomness comes from xoshiro256** seeded by
 * splitmix64, never from g_random or the clock, and every date is counted
 * from options->today. Only the audit row carries the real time.
 *
 * Everything is written in one transaction with cached prepared
 * statements and no per-row SELECT, so 100,000 customers take seconds
 * and a million bills well under a minute.
 *
 * The generated text is data, not user interface: it is not translated.
 * Email addresses use only the domains RFC 2606 reserves (example.com,
 * example.net, example.org and names under them), and foreign phone
 * numbers use ranges set aside for fiction where there are any
 * (+1 555 01xx, +44 7700 900xxx, +44 20 7946 0xxx).
 */
#define G_LOG_DOMAIN "Billbook"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bb-business.h"
#include "bb-customers-private.h"
#include "bb-db-private.h"
#include "bb-demo.h"
#include "bb-customers.h"
#include "bb-invoice.h"
#include "bb-invoices.h"
#include "bb-text.h"

/* How often the generator looks at the cancellable. */
#define CANCEL_CHECK_EVERY 256

#define YEARS_OF_CUSTOMERS   10
#define DAYS_OF_INTERACTIONS 730
#define MAX_INTERACTIONS     6

/* Bills dated in the last RECENT_DAYS may still be drafts or in review. */
#define RECENT_DAYS          21
#define MAX_LINES            5

/* ---- Random numbers ------------------------------------------------- */

/* xoshiro256** 1.0 (Blackman and Vigna, public domain), seeded from one
 * 64-bit number with splitmix64 as its authors recommend. */
typedef struct
{
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void
rng_seed (Rng     *r,
          guint64  seed)
{
  guint64 x = seed;

  for (guint i = 0; i < G_N_ELEMENTS (r->s); i++)
    r->s[i] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
rng_next (Rng *r)
{
  const guint64 result = rotl (r->s[1] * 5, 7) * 9;
  const guint64 t = r->s[1] << 17;

  r->s[2] ^= r->s[0];
  r->s[3] ^= r->s[1];
  r->s[1] ^= r->s[2];
  r->s[0] ^= r->s[3];
  r->s[2] ^= t;
  r->s[3] = rotl (r->s[3], 45);

  return result;
}

/* 0 ≤ result < n (n > 0), by multiplying rather than dividing. */
static guint32
rng_below (Rng     *r,
           guint32  n)
{
  return (guint32) (((rng_next (r) >> 32) * (guint64) n) >> 32);
}

/* lo ≤ result ≤ hi */
static guint32
rng_range (Rng     *r,
           guint32  lo,
           guint32  hi)
{
  if (hi <= lo)
    return lo;
  return lo + rng_below (r, hi - lo + 1);
}

static gboolean
rng_percent (Rng   *r,
             guint  percent)
{
  return rng_below (r, 100) < percent;
}

static guint
pick_weighted_index (Rng         *r,
                     const guint *first_weight,
                     gsize        stride,
                     guint        n)
{
  guint total = 0;
  guint x;

  for (guint i = 0; i < n; i++)
    total += *(const guint *) ((const char *) first_weight + i * stride);

  x = rng_below (r, total);
  for (guint i = 0; i < n; i++)
    {
      guint w = *(const guint *) ((const char *) first_weight + i * stride);

      if (x < w)
        return i;
      x -= w;
    }

  return n - 1;
}

/* An element of a table of structs with a `weight` member. */
#define PICK_WEIGHTED(r, table) \
  (&(table)[pick_weighted_index ((r), &(table)[0].weight, sizeof ((table)[0]), G_N_ELEMENTS (table))])
/* An element of a plain table, all equally likely. */
#define PICK(r, table) ((table)[rng_below ((r), G_N_ELEMENTS (table))])

/* ---- What customers are made of ------------------------------------- */

typedef struct
{
  const char *hanzi;
  const char *pinyin;
  guint       weight;
} ChineseWord;

/* Roughly in the order of how common they are. */
static const ChineseWord surnames[] = {
  { "王", "wang", 72 }, { "李", "li", 72 }, { "张", "zhang", 69 }, { "刘", "liu", 54 },
  { "陈", "chen", 46 }, { "杨", "yang", 31 }, { "黄", "huang", 25 }, { "赵", "zhao", 23 },
  { "吴", "wu", 21 }, { "周", "zhou", 21 }, { "徐", "xu", 17 }, { "孙", "sun", 15 },
  { "马", "ma", 15 }, { "朱", "zhu", 14 }, { "胡", "hu", 13 }, { "郭", "guo", 12 },
  { "何", "he", 12 }, { "高", "gao", 11 }, { "林", "lin", 11 }, { "罗", "luo", 10 },
  { "郑", "zheng", 10 }, { "梁", "liang", 9 }, { "谢", "xie", 8 }, { "宋", "song", 7 },
  { "唐", "tang", 7 }, { "许", "xu", 6 }, { "韩", "han", 6 }, { "冯", "feng", 6 },
  { "邓", "deng", 6 }, { "曹", "cao", 5 }, { "彭", "peng", 5 }, { "曾", "zeng", 5 },
  { "肖", "xiao", 5 }, { "田", "tian", 4 }, { "董", "dong", 4 }, { "袁", "yuan", 4 },
  { "潘", "pan", 4 }, { "于", "yu", 4 }, { "蒋", "jiang", 4 }, { "蔡", "cai", 4 },
  { "余", "yu", 4 }, { "杜", "du", 4 }, { "叶", "ye", 4 }, { "程", "cheng", 4 },
  { "苏", "su", 3 }, { "魏", "wei", 3 }, { "吕", "lyu", 3 }, { "丁", "ding", 3 },
  { "任", "ren", 3 }, { "沈", "shen", 3 }, { "姚", "yao", 3 }, { "卢", "lu", 3 },
  { "姜", "jiang", 3 }, { "崔", "cui", 3 }, { "钟", "zhong", 3 }, { "谭", "tan", 3 },
  { "陆", "lu", 3 }, { "汪", "wang", 3 }, { "范", "fan", 3 }, { "金", "jin", 3 },
  { "石", "shi", 3 }, { "廖", "liao", 3 }, { "贾", "jia", 2 }, { "夏", "xia", 2 },
  { "韦", "wei", 2 }, { "方", "fang", 2 }, { "白", "bai", 2 }, { "邹", "zou", 2 },
  { "孟", "meng", 2 }, { "熊", "xiong", 2 }, { "秦", "qin", 2 }, { "邱", "qiu", 2 },
  { "江", "jiang", 2 }, { "尹", "yin", 2 }, { "薛", "xue", 2 }, { "段", "duan", 2 },
  { "雷", "lei", 2 }, { "侯", "hou", 2 }, { "龙", "long", 2 }, { "史", "shi", 2 },
  { "陶", "tao", 2 }, { "黎", "li", 2 }, { "贺", "he", 2 }, { "顾", "gu", 2 },
  { "毛", "mao", 2 }, { "郝", "hao", 2 }, { "龚", "gong", 2 }, { "邵", "shao", 2 },
  { "钱", "qian", 2 }, { "严", "yan", 2 }, { "戴", "dai", 2 }, { "孔", "kong", 1 },
  { "欧阳", "ouyang", 1 }, { "司马", "sima", 1 }, { "上官", "shangguan", 1 },
};

static const ChineseWord given_names[] = {
  { "伟", "wei", 8 }, { "芳", "fang", 7 }, { "娜", "na", 6 }, { "敏", "min", 6 },
  { "静", "jing", 6 }, { "丽", "li", 5 }, { "强", "qiang", 5 }, { "磊", "lei", 5 },
  { "军", "jun", 5 }, { "洋", "yang", 4 }, { "勇", "yong", 4 }, { "艳", "yan", 4 },
  { "杰", "jie", 4 }, { "涛", "tao", 4 }, { "明", "ming", 4 }, { "超", "chao", 4 },
  { "霞", "xia", 3 }, { "平", "ping", 3 }, { "刚", "gang", 3 }, { "丹", "dan", 3 },
  { "玲", "ling", 3 }, { "斌", "bin", 3 }, { "鹏", "peng", 3 }, { "辉", "hui", 3 },
  { "婷", "ting", 3 }, { "秀英", "xiuying", 5 }, { "桂英", "guiying", 4 }, { "建国", "jianguo", 4 },
  { "丽娟", "lijuan", 4 }, { "小明", "xiaoming", 4 }, { "建华", "jianhua", 4 }, { "志强", "zhiqiang", 4 },
  { "海燕", "haiyan", 4 }, { "晓东", "xiaodong", 3 }, { "婷婷", "tingting", 3 }, { "欣怡", "xinyi", 3 },
  { "子涵", "zihan", 3 }, { "浩然", "haoran", 3 }, { "宇轩", "yuxuan", 3 }, { "梓萱", "zixuan", 3 },
  { "文博", "wenbo", 3 }, { "佳怡", "jiayi", 3 }, { "俊杰", "junjie", 3 }, { "秀兰", "xiulan", 3 },
  { "玉兰", "yulan", 3 }, { "春梅", "chunmei", 3 }, { "国华", "guohua", 3 }, { "建军", "jianjun", 3 },
  { "红梅", "hongmei", 3 }, { "晓燕", "xiaoyan", 3 }, { "志明", "zhiming", 3 }, { "淑珍", "shuzhen", 2 },
  { "桂兰", "guilan", 2 }, { "思远", "siyuan", 2 }, { "雨桐", "yutong", 2 }, { "一鸣", "yiming", 2 },
  { "嘉欣", "jiaxin", 2 }, { "美玲", "meiling", 2 }, { "家豪", "jiahao", 2 }, { "伟明", "weiming", 2 },
  { "丽华", "lihua", 2 }, { "文静", "wenjing", 2 }, { "振华", "zhenhua", 2 }, { "金凤", "jinfeng", 2 },
};

/* Trade names. None contains 王, so a search for that surname finds
 * people, not companies. */
static const ChineseWord brands[] = {
  { "恒丰", "hengfeng", 1 }, { "佳美", "jiamei", 1 }, { "鑫源", "xinyuan", 1 },
  { "华盛", "huasheng", 1 }, { "永安", "yongan", 1 }, { "利达", "lida", 1 },
  { "金泰", "jintai", 1 }, { "宏图", "hongtu", 1 }, { "顺发", "shunfa", 1 },
  { "新宇", "xinyu", 1 }, { "天和", "tianhe", 1 }, { "瑞丰", "ruifeng", 1 },
  { "万家", "wanjia", 1 }, { "福源", "fuyuan", 1 }, { "德胜", "desheng", 1 },
  { "同心", "tongxin", 1 }, { "嘉禾", "jiahe", 1 }, { "东方", "dongfang", 1 },
};

static const char * const chinese_industries[] = {
  "贸易", "餐饮管理", "电子科技", "服饰", "食品", "建材", "文化传媒", "物流",
  "装饰工程", "商贸", "酒店管理",
};

static const char * const chinese_shops[] = {
  "商行", "超市", "烘焙坊", "茶庄", "五金店", "餐厅", "便利店", "花店", "水果店", "药房",
};

typedef struct
{
  const char *province;       /* NULL for the municipalities */
  const char *city;
  const char *short_name;
  guint       region;         /* first digits of the area code in tax IDs */
  guint       weight;
  const char *districts[6];
  const char *roads[6];
} ChineseCity;

static const ChineseCity chinese_cities[] = {
  { NULL, "上海市", "上海", 310100, 5,
    { "徐汇区", "浦东新区", "静安区", "黄浦区", "长宁区", "闵行区" },
    { "漕溪北路", "南京西路", "淮海中路", "世纪大道", "张杨路", "虹桥路" } },
  { NULL, "北京市", "北京", 110100, 4,
    { "朝阳区", "海淀区", "东城区", "西城区", "丰台区" },
    { "建国路", "中关村大街", "三里屯路", "东长安街", "西单北大街" } },
  { "广东省", "广州市", "广州", 440100, 3,
    { "天河区", "越秀区", "海珠区", "荔湾区" },
    { "天河路", "中山五路", "江南大道", "环市东路", "北京路" } },
  { "广东省", "深圳市", "深圳", 440300, 3,
    { "南山区", "福田区", "罗湖区", "宝安区" },
    { "深南大道", "科技园路", "华强北路", "东门中路" } },
  { "浙江省", "杭州市", "杭州", 330100, 2,
    { "西湖区", "上城区", "拱墅区", "滨江区" },
    { "文三路", "延安路", "体育场路", "江南大道" } },
  { "四川省", "成都市", "成都", 510100, 2,
    { "锦江区", "武侯区", "青羊区", "成华区" },
    { "春熙路", "人民南路", "科华北路", "蜀都大道" } },
  { "江苏省", "南京市", "南京", 320100, 2,
    { "鼓楼区", "玄武区", "秦淮区", "建邺区" },
    { "中山路", "湖南路", "太平南路", "汉中路" } },
  { "湖北省", "武汉市", "武汉", 420100, 1,
    { "江汉区", "武昌区", "洪山区", "江岸区" },
    { "解放大道", "中南路", "中山大道", "珞喻路" } },
  { "福建省", "厦门市", "厦门", 350200, 1,
    { "思明区", "湖里区", "集美区" },
    { "中山路", "厦禾路", "湖滨南路", "嘉禾路" } },
};

/* Mobile prefixes in use in mainland China. */
static const guint16 chinese_mobile_prefixes[] = {
  130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156,
  157, 158, 159, 166, 170, 173, 175, 176, 177, 178, 180, 181, 182, 183, 184, 185,
  186, 187, 188, 189, 191, 198, 199,
};

static const char * const western_first_names[] = {
  "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
  "David", "Elizabeth", "William", "Susan", "Richard", "Jessica", "Thomas", "Sarah",
  "Daniel", "Karen", "Matthew", "Nancy", "Anthony", "Lisa", "Mark", "Emily", "Paul",
  "Sophie", "Oliver", "Chloe", "Jack", "Amelia", "Harry", "Grace", "Lucas", "Hannah",
  "Ethan", "Zoe", "Kenneth", "Vincent", "Jasmine", "Rachel", "Ryan", "Nicholas",
  "Michelle", "Marcus",
};

static const char * const asian_first_names[] = {
  "Priya", "Arjun", "Aisha", "Ahmad", "Siti", "Nurul", "Wei Ling", "Jun Jie",
  "Hui Min", "Kavitha", "Farah", "Ravi", "Mei Ling", "Jia Hui", "Hafiz", "Deepa",
};

static const char * const western_last_names[] = {
  "Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas",
  "Johnson", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
  "Edwards", "Green", "Hall", "Wood", "Clarke", "Murphy", "O'Brien", "Kelly",
  "Garcia", "Martin", "Miller", "Anderson", "Baker", "Cooper",
};

static const char * const asian_last_names[] = {
  "Tan", "Lim", "Ng", "Wong", "Chan", "Lee", "Lin", "Ong", "Goh", "Koh", "Teo",
  "Chua", "Kumar", "Singh", "Patel", "Rahman", "Abdullah", "Fernandes", "Pillai",
};

static const char * const latin_places[] = {
  "Harbour", "Orchard", "Riverside", "Kingsway", "Maple", "Golden", "Bluebell",
  "Sunrise", "Parkview", "Seaside", "Oakwood", "Crown",
};

static const char * const latin_trades[] = {
  "Bakery", "Café", "Florist", "Hardware", "Catering", "Books", "Motors",
  "Stationers", "Deli", "Tailors", "Dental Clinic", "Print Shop",
};

typedef enum
{
  COUNTRY_CN,
  COUNTRY_US,
  COUNTRY_UK,
  COUNTRY_SG,
} Country;

typedef struct
{
  Country country;
  guint   weight;
} CountryWeight;

static const CountryWeight latin_countries[] = {
  { COUNTRY_US, 30 }, { COUNTRY_UK, 30 }, { COUNTRY_SG, 40 },
};

typedef struct
{
  const char *city;
  const char *state;
  guint       zip_prefix;
  guint       area_code;
} UsCity;

static const UsCity us_cities[] = {
  { "San Francisco", "CA", 941, 415 }, { "New York", "NY", 100, 212 },
  { "Chicago", "IL", 606, 312 }, { "Boston", "MA", 21, 617 },
  { "Seattle", "WA", 981, 206 }, { "Portland", "OR", 972, 503 },
};

static const char * const us_streets[] = {
  "Market Street", "Main Street", "Oak Avenue", "Harbor Drive", "Pine Street",
  "Elm Street", "Maple Avenue", "Washington Boulevard",
};

typedef struct
{
  const char *town;
  const char *outward[3];
} UkTown;

static const UkTown uk_towns[] = {
  { "London", { "SW1A", "E1", "N1" } },
  { "Manchester", { "M1", "M4", "M20" } },
  { "Bristol", { "BS1", "BS6", "BS8" } },
  { "Edinburgh", { "EH1", "EH3", "EH9" } },
  { "Leeds", { "LS1", "LS6", "LS11" } },
};

static const char * const uk_streets[] = {
  "High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue",
  "Mill Lane", "King Street", "Queen's Road",
};

static const char * const sg_roads[] = {
  "Harbour Road", "Orchard Road", "Tanjong Pagar Road", "Bukit Timah Road",
  "Serangoon Road", "East Coast Road", "Geylang Road", "Upper Thomson Road",
};

/* Housing estates: addresses with a block and a unit. */
static const char * const sg_estates[] = {
  "Ang Mo Kio Avenue 3", "Tampines Street 21", "Jurong West Street 42",
  "Clementi Avenue 2", "Bedok North Road", "Toa Payoh Lorong 1",
};

typedef enum
{
  TAG_VIP,
  TAG_WHOLESALE,
  TAG_MEMBER,
  TAG_REGULAR,
  TAG_ONLINE,
  TAG_CORPORATE,
  TAG_NEIGHBOUR,
  N_TAGS
} Tag;

static const char * const tag_names[N_TAGS] = {
  "vip", "wholesale", "会员", "老客户", "online", "corporate", "街坊",
};

/* How likely each tag is, by kind of customer. */
static const guint tag_weights_chinese[N_TAGS] = { 10, 5, 30, 25, 10, 0, 20 };
static const guint tag_weights_latin[N_TAGS]   = { 30, 15, 10, 5, 35, 5, 0 };
static const guint tag_weights_company[N_TAGS] = { 15, 35, 0, 5, 10, 35, 0 };

typedef struct
{
  int   value;
  guint weight;
} IntWeight;

static const IntWeight terms_person[] = {
  { 0, 50 }, { 7, 15 }, { 15, 10 }, { 30, 20 }, { 60, 5 },
};

static const IntWeight terms_company[] = {
  { 0, 10 }, { 7, 10 }, { 15, 15 }, { 30, 45 }, { 60, 20 },
};

static const IntWeight interactions_per_customer[] = {
  { 0, 25 }, { 1, 20 }, { 2, 18 }, { 3, 14 }, { 4, 10 }, { 5, 8 }, { 6, 5 },
};

static const char * const chinese_notes[] = {
  "喜欢绿茶，每月初来店补货。",
  "只收现金，不要发营销短信。",
  "送货前请先电话联系。",
  "老顾客介绍来的。",
  "发票抬头写公司全称。",
  "周末才有空来取货。",
  "对花生过敏。",
  "逢年过节送点小礼品。",
  "月底统一结账。",
  "要求开增值税专用发票。",
};

static const char * const latin_notes[] = {
  "Prefers delivery before 10 am.",
  "Ask for the manager at reception.",
  "Pays by bank transfer at month end.",
  "Referred by a regular customer.",
  "Allergic to peanuts.",
  "Closed on Mondays.",
  "Needs an invoice with the full company name.",
  "Likes to be called, not emailed.",
};

/* ---- Interactions --------------------------------------------------- */

typedef enum
{
  KIND_COMMUNICATION,
  KIND_COMPLAINT,
  KIND_FEEDBACK,
  KIND_FOLLOW_UP,
  N_KINDS
} Kind;

static const char * const kind_names[N_KINDS] = {
  "communication", "complaint", "feedback", "follow_up",
};

static const guint kind_weights[N_KINDS] = { 55, 10, 15, 20 };

typedef enum
{
  CHANNEL_PHONE,
  CHANNEL_VISIT,
  CHANNEL_EMAIL,
  CHANNEL_WECHAT,
  CHANNEL_SMS,
  CHANNEL_OTHER,
  N_CHANNELS
} Channel;

static const char * const channel_names[N_CHANNELS] = {
  "phone", "visit", "email", "wechat", "sms", "other",
};

static const guint channel_weights_chinese[N_CHANNELS] = { 25, 20, 5, 40, 8, 2 };
static const guint channel_weights_latin[N_CHANNELS]   = { 30, 25, 30, 3, 10, 5 };

/* What was said, and the outcome that usually goes with it (the same
 * index); a summary says nothing of the channel, which is drawn apart. */
typedef struct
{
  const char *summaries[7];
  const char *outcomes[7];
} KindTexts;

static const KindTexts chinese_texts[N_KINDS] = {
  [KIND_COMMUNICATION] = {
    { "确认订单数量", "咨询新款", "询问到货时间", "要报价单",
      "咨询会员卡充值优惠", "确认送货地址", "节日问候" },
    { "已确认", "考虑中", "下周到货，到时通知", "已发送报价单",
      "已介绍充值送礼活动", "已更新地址", "" } },
  [KIND_COMPLAINT] = {
    { "反映上次送货晚了两天", "商品包装破损", "发票抬头开错", "价格与报价不一致",
      "收到的颜色不对", "对店员服务不满意", "充值余额对不上" },
    { "已道歉并解决", "已安排补发", "已重开发票", "已退差价",
      "已换货", "已道歉，下次九折", "已核对账目，余额无误" } },
  [KIND_FEEDBACK] = {
    { "对新品很满意", "建议增加周末营业时间", "希望支持更多付款方式", "推荐了朋友来店",
      "觉得价格偏高", "表扬送货师傅", "希望多上新款" },
    { "谢谢支持", "已转告店长", "已记录", "已送小礼品",
      "已说明价格", "已转告", "会考虑" } },
  [KIND_FOLLOW_UP] = {
    { "回访上次投诉处理情况", "跟进未付款项", "确认样品是否满意", "提醒会员卡即将到期",
      "询问是否需要补货", "回访新品使用情况", "确认月底对账" },
    { "客户满意", "答应月底付款", "已下单", "已续卡",
      "暂不需要", "客户满意", "已对账" } },
};

static const KindTexts latin_texts[N_KINDS] = {
  [KIND_COMMUNICATION] = {
    { "Confirmed order quantities", "Asked about the new stock",
      "Asked when the next delivery arrives", "Asked for a quote",
      "Asked about prepaid card offers", "Confirmed the delivery address", "Seasonal greetings" },
    { "Confirmed", "Thinking it over", "Arrives next week; will let them know", "Quote sent",
      "Explained the top-up bonus", "Address updated", "" } },
  [KIND_COMPLAINT] = {
    { "Last delivery arrived two days late", "Packaging was damaged",
      "Invoice had the wrong company name", "Price differed from the quote",
      "Received the wrong colour", "Unhappy with the service at the counter",
      "Prepaid balance did not match" },
    { "Apologised and resolved", "Replacement sent", "Invoice reissued", "Refunded the difference",
      "Exchanged", "Apologised; 10% off next time", "Checked the account; balance is right" } },
  [KIND_FEEDBACK] = {
    { "Very happy with the new range", "Suggested longer weekend opening hours",
      "Would like more ways to pay", "Referred a friend", "Finds the prices a bit high",
      "Praised the delivery driver", "Would like more new arrivals" },
    { "Thanked them", "Passed on to the manager", "Noted", "Sent a small thank-you gift",
      "Explained the prices", "Passed on", "Will consider" } },
  [KIND_FOLLOW_UP] = {
    { "Checked back on the last complaint", "Chased the unpaid balance",
      "Asked whether the samples suited", "Reminded about the card expiring",
      "Asked whether they need more stock", "Asked how the new product works out",
      "Confirmed the month-end statement" },
    { "Happy now", "Will pay at month end", "Ordered", "Renewed the card",
      "Not needed for now", "Happy with it", "Statement agreed" } },
};

static const char * const chinese_pending_outcomes[] = {
  "约好再联系", "等待客户回复", "需要再次确认", "客户出差，回来再谈",
};

static const char * const latin_pending_outcomes[] = {
  "Will call back", "Waiting for a reply", "To confirm again", "Away until next week",
};

/* ---- Bills ---------------------------------------------------------- */

typedef enum
{
  QTY_PIECES,     /* 1, 2, 3 … */
  QTY_WEIGHT,     /* kilograms or litres in quarters: 0.5, 1.25 … */
  QTY_HOURS,      /* in halves: 0.5, 1.5 … */
} QuantityKind;

/* What the shop sells. Prices are today's, in hundredths of the
 * currency's unit (yuan), drawn from lo to hi in steps of step; older
 * bills have them lower. Tax is China's VAT: 13 % on goods and repairs,
 * 9 % on transport and farm produce, 6 % on services and drinks served;
 * goods sent abroad are zero-rated. */
typedef struct
{
  const char   *zh;
  const char   *en;
  guint         lo;
  guint         hi;
  guint         step;
  QuantityKind  quantity;
  guint         max_quantity;   /* pieces, kilograms or hours */
  BbRate        tax_rate;
  gboolean      zero_abroad;    /* 0 % for a customer abroad */
  guint         weight;
} CatalogueItem;

static const CatalogueItem car_care[] = {
  { "洗车", "Car wash", 3000, 6000, 500, QTY_PIECES, 2, 600, FALSE, 30 },
  { "精洗打蜡", "Wash and wax", 15000, 28000, 1000, QTY_PIECES, 1, 600, FALSE, 8 },
  { "内饰清洁消毒", "Interior cleaning", 12000, 26000, 1000, QTY_PIECES, 1, 600, FALSE, 6 },
  { "机油更换", "Oil change", 26000, 68000, 1000, QTY_PIECES, 1, 1300, FALSE, 15 },
  { "机油滤芯", "Oil filter", 4500, 12000, 500, QTY_PIECES, 2, 1300, TRUE, 8 },
  { "空调滤芯", "Cabin air filter", 6000, 16000, 500, QTY_PIECES, 2, 1300, TRUE, 6 },
  { "雨刮片（一对）", "Wiper blades (pair)", 8000, 18000, 1000, QTY_PIECES, 2, 1300, TRUE, 5 },
  { "轮胎 ×4", "Tyres ×4", 120000, 200000, 2000, QTY_PIECES, 1, 1300, TRUE, 4 },
  { "补胎", "Puncture repair", 3000, 6000, 500, QTY_PIECES, 2, 600, FALSE, 5 },
  { "四轮定位", "Wheel alignment", 15000, 30000, 1000, QTY_PIECES, 1, 600, FALSE, 5 },
  { "刹车片更换", "Brake pad replacement", 38000, 90000, 1000, QTY_PIECES, 1, 1300, FALSE, 3 },
  { "防冻液", "Coolant", 6800, 15000, 100, QTY_PIECES, 4, 1300, TRUE, 3 },
  { "维修工时（按小时）", "Labour (per hour)", 8000, 20000, 1000, QTY_HOURS, 4, 1300, FALSE, 6 },
};

static const CatalogueItem cafe[] = {
  { "咖啡豆 1kg", "Coffee beans 1 kg", 12800, 26800, 100, QTY_PIECES, 5, 1300, TRUE, 12 },
  { "散装咖啡豆（按公斤）", "Coffee beans, loose (per kg)", 16000, 30000, 500, QTY_WEIGHT, 3, 1300, TRUE, 8 },
  { "挂耳咖啡（10 包装）", "Drip coffee bags (box of 10)", 3900, 8900, 100, QTY_PIECES, 10, 1300, TRUE, 6 },
  { "拿铁", "Latte", 2200, 3600, 100, QTY_PIECES, 12, 600, FALSE, 10 },
  { "美式咖啡", "Americano", 1800, 3000, 100, QTY_PIECES, 12, 600, FALSE, 8 },
  { "手冲咖啡", "Pour-over coffee", 3200, 5800, 100, QTY_PIECES, 4, 600, FALSE, 4 },
  { "茶叶（按公斤）", "Loose-leaf tea (per kg)", 24000, 160000, 1000, QTY_WEIGHT, 2, 1300, TRUE, 4 },
  { "鲜牛奶（按升）", "Fresh milk (per litre)", 1200, 2500, 50, QTY_WEIGHT, 5, 900, TRUE, 3 },
  { "蛋糕", "Cake", 5800, 38800, 1000, QTY_PIECES, 2, 1300, TRUE, 3 },
  { "水果礼盒", "Fruit gift box", 12800, 38800, 1000, QTY_PIECES, 3, 900, TRUE, 2 },
};

/* Added to a bill, after what was bought. */
static const CatalogueItem extras[] = {
  { "送货费", "Delivery", 1000, 5000, 500, QTY_PIECES, 1, 900, FALSE, 10 },
  { "服务费", "Service fee", 2000, 20000, 1000, QTY_PIECES, 1, 600, FALSE, 5 },
  { "上门服务费", "Call-out fee", 8000, 20000, 1000, QTY_PIECES, 1, 600, FALSE, 3 },
  { "包装费", "Packaging", 500, 2000, 100, QTY_PIECES, 1, 1300, TRUE, 3 },
};

/* Shipping abroad, zero-rated. */
static const CatalogueItem shipping_abroad =
  { "国际快递", "International shipping", 8000, 60000, 1000, QTY_PIECES, 1, 0, TRUE, 1 };

static const IntWeight lines_per_bill[] = {
  { 1, 35 }, { 2, 30 }, { 3, 20 }, { 4, 10 }, { 5, 5 },
};

/* A discount on a whole bill, in basis points. */
static const IntWeight bill_discounts[] = {
  { 0, 82 }, { 500, 12 }, { 1000, 6 },
};

/* How much a customer buys, relative to others. */
static const IntWeight activity_person[] = {
  { 1, 40 }, { 2, 30 }, { 4, 20 }, { 8, 10 },
};

static const IntWeight activity_company[] = {
  { 2, 30 }, { 4, 40 }, { 8, 30 },
};

static const char * const chinese_bill_notes[] = {
  "月底统一结账", "请开增值税专用发票", "老客户，已优惠", "送货前请电话联系",
};

static const char * const latin_bill_notes[] = {
  "Monthly account", "Deliver to the back door", "Regular customer discount applied",
  "Call before delivery",
};

/* Why a bill was voided, in both languages. */
static const char * const chinese_void_reasons[] = { "开错了", "重复开票", "金额有误" };
static const char * const latin_void_reasons[] = { "Wrong customer", "Duplicate bill", "Wrong amount" };

/* ---- The generator -------------------------------------------------- */

/* What the bills need to know of a customer made. */
typedef struct
{
  gint64   id;
  guint32  created_day;
  guint32  last_day;         /* of buying: today, or when an archived customer stopped */
  guint32  weight;           /* how many bills, relative to others */
  guint16  terms;            /* payment terms in days */
  guint8   chinese;
  guint8   company;          /* a business, or someone buying for a company */
  guint8   archived;
} CustomerFacts;

typedef struct
{
  Rng                rng;
  Rng                bill_rng;          /* apart, so bills leave the customers as they were */
  BbDb              *db;
  guint32            today;             /* Julian day (GDate) */
  gint64             minor_per_unit;    /* 100 for CNY */
  const BbCurrency  *currency;
  gint64             birthday_field;
  gint64             wechat_field;
  sqlite3_stmt      *insert_customer;
  sqlite3_stmt      *insert_interaction;
  sqlite3_stmt      *insert_field_value;
  sqlite3_stmt      *insert_invoice;
  sqlite3_stmt      *insert_line;
  sqlite3_stmt      *issue_invoice;

  CustomerFacts     *customers;         /* n_customers of them, in the order made */
  guint              n_customers;
  guint              n_bills;

  /* Progress over customers, then bills. */
  BbDemoProgress     progress;
  gpointer           progress_data;
  guint              done;
  guint              total;
  guint              report_every;

  /* Reused for every customer. */
  GString       *name;
  GString       *company;
  GString       *phone;
  GString       *email;
  GString       *address;
  GString       *tax_id;
  GString       *tags;
  GString       *wechat;
} Generator;

typedef struct
{
  gboolean             chinese;
  gboolean             business;   /* the customer is a shop or firm, named as such */
  Country              country;
  const ChineseWord   *surname;
  const ChineseWord   *given;
  const ChineseWord   *brand;
  const ChineseCity   *city;
  const UsCity        *us_city;
  const UkTown        *uk_town;
  const char          *first;      /* Latin names */
  const char          *last;
  char                 mail_name[32];  /* a business's name in its email domain */
} Person;

static void
format_date (guint32  julian,
             char     out[11])
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  g_snprintf (out, 11, "%04u-%02u-%02u",
              (guint) g_date_get_year (&date),
              (guint) g_date_get_month (&date),
              (guint) g_date_get_day (&date));
}

/* @seconds since the start of Julian day 1 → "YYYY-MM-DDTHH:MM:SSZ" */
static void
format_time (guint64  seconds,
             char     out[21])
{
  char date[11];
  guint sod = (guint) (seconds % 86400);

  format_date ((guint32) (seconds / 86400), date);
  g_snprintf (out, 21, "%sT%02u:%02u:%02uZ", date, sod / 3600, sod / 60 % 60, sod % 60);
}

/* Lower-case ASCII letters and digits of @text, for email addresses. */
static void
append_ascii_word (GString    *s,
                   const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_tolower (*p));
}

static void
append_random_alnum (Rng     *r,
                     GString *s,
                     guint    n,
                     const char *alphabet)
{
  gsize len = strlen (alphabet);

  for (guint i = 0; i < n; i++)
    g_string_append_c (s, alphabet[rng_below (r, (guint32) len)]);
}

static void
make_person (Generator *g,
             Person    *p)
{
  Rng *r = &g->rng;

  memset (p, 0, sizeof *p);
  p->chinese = rng_percent (r, 60);
  p->business = rng_percent (r, 6);

  if (p->chinese)
    {
      p->country = COUNTRY_CN;
      p->surname = PICK_WEIGHTED (r, surnames);
      p->given = PICK_WEIGHTED (r, given_names);
      p->brand = PICK_WEIGHTED (r, brands);
      p->city = PICK_WEIGHTED (r, chinese_cities);
    }
  else
    {
      gboolean sg;

      p->country = PICK_WEIGHTED (r, latin_countries)->country;
      sg = p->country == COUNTRY_SG;
      if (rng_percent (r, sg ? 50 : 10))
        p->first = PICK (r, asian_first_names);
      else
        p->first = PICK (r, western_first_names);
      if (rng_percent (r, sg ? 70 : 15))
        p->last = PICK (r, asian_last_names);
      else
        p->last = PICK (r, western_last_names);
      if (p->country == COUNTRY_US)
        p->us_city = &PICK (r, us_cities);
      else if (p->country == COUNTRY_UK)
        p->uk_town = &PICK (r, uk_towns);
    }
}

static void
make_name (Generator *g,
           Person    *p)
{
  Rng *r = &g->rng;
  GString *s = g->name;

  g_string_truncate (s, 0);

  if (p->chinese && p->business)
    {
      /* "林记茶庄", "鑫源商行" */
      if (rng_percent (r, 40))
        {
          g_string_append_printf (s, "%s记%s", p->surname->hanzi, PICK (r, chinese_shops));
          g_snprintf (p->mail_name, sizeof p->mail_name, "%sji", p->surname->pinyin);
        }
      else
        {
          g_string_append_printf (s, "%s%s", p->brand->hanzi, PICK (r, chinese_shops));
          g_strlcpy (p->mail_name, p->brand->pinyin, sizeof p->mail_name);
        }
    }
  else if (p->chinese)
    g_string_append_printf (s, "%s%s", p->surname->hanzi, p->given->hanzi);
  else if (p->business)
    {
      /* "Harbour Bakery", "Lin Trading Co." */
      if (rng_percent (r, 35))
        g_string_append_printf (s, "%s Trading Co.", p->last);
      else
        g_string_append_printf (s, "%s %s", PICK (r, latin_places), PICK (r, latin_trades));
    }
  else
    g_string_append_printf (s, "%s %s", p->first, p->last);
}

static void
make_company (Generator    *g,
              const Person *p)
{
  static const char * const us_suffixes[] = { "LLC", "Inc." };
  Rng *r = &g->rng;
  GString *s = g->company;

  g_string_truncate (s, 0);

  if (p->business || !rng_percent (r, 32))
    return;

  if (p->chinese)
    {
      /* "上海恒丰贸易有限公司" */
      g_string_append_printf (s, "%s%s%s有限公司",
                              p->city->short_name, p->brand->hanzi, PICK (r, chinese_industries));
      return;
    }

  switch (rng_below (r, 3))
    {
    case 0:
      g_string_append_printf (s, "%s Trading Co.", PICK (r, asian_last_names));
      break;
    case 1:
      g_string_append_printf (s, "%s & Sons", PICK (r, western_last_names));
      break;
    default:
      g_string_append_printf (s, "%s %s", PICK (r, latin_places), PICK (r, latin_trades));
      break;
    }

  switch (p->country)
    {
    case COUNTRY_US:
      g_string_append_printf (s, " %s", PICK (r, us_suffixes));
      break;
    case COUNTRY_UK:
      g_string_append (s, " Ltd");
      break;
    case COUNTRY_SG:
      g_string_append (s, " Pte. Ltd.");
      break;
    case COUNTRY_CN:
    default:
      break;
    }
}

static void
make_phone (Generator    *g,
            const Person *p)
{
  Rng *r = &g->rng;
  GString *s = g->phone;

  g_string_truncate (s, 0);

  if (!p->business && !rng_percent (r, p->chinese ? 95 : 90))
    return;

  switch (p->country)
    {
    case COUNTRY_CN:
      /* "138 0013 8000" */
      g_string_append_printf (s, "%u %04u %04u",
                              (guint) PICK (r, chinese_mobile_prefixes),
                              rng_below (r, 10000), rng_below (r, 10000));
      break;
    case COUNTRY_US:
      g_string_append_printf (s, "+1 %u 555 01%02u", p->us_city->area_code, rng_below (r, 100));
      break;
    case COUNTRY_UK:
      if (p->uk_town != &uk_towns[0] || rng_percent (r, 70))
        g_string_append_printf (s, "+44 7700 900%03u", rng_below (r, 1000));
      else
        g_string_append_printf (s, "+44 20 7946 0%03u", rng_below (r, 1000));
      break;
    case COUNTRY_SG:
    default:
      g_string_append_printf (s, "+65 %u%03u %04u",
                              rng_percent (r, 80) ? 8 + rng_below (r, 2) : 6,
                              rng_below (r, 1000), rng_below (r, 10000));
      break;
    }
}

static void
make_email (Generator    *g,
            const Person *p)
{
  static const char * const chinese_domains[] = {
    "example.com", "example.net", "qq.example.com", "163.example.net",
  };
  static const char * const latin_domains[] = {
    "example.com", "example.net", "example.org", "mail.example.org",
  };
  Rng *r = &g->rng;
  GString *s = g->email;

  g_string_truncate (s, 0);

  if (!rng_percent (r, p->business ? 80 : p->chinese ? 55 : 70))
    return;

  if (p->business)
    {
      static const char * const boxes[] = { "info", "sales", "orders", "hello" };

      g_string_append_printf (s, "%s@", PICK (r, boxes));
      if (p->chinese)
        g_string_append (s, p->mail_name);
      else
        append_ascii_word (s, g->name->str);
      g_string_append (s, ".example.com");
      return;
    }

  if (p->chinese)
    {
      const char *sur = p->surname->pinyin;
      const char *giv = p->given->pinyin;

      switch (rng_below (r, 5))
        {
        case 0:
          g_string_append_printf (s, "%s.%s", giv, sur);
          break;
        case 1:
          g_string_append_printf (s, "%s%s", sur, giv);
          break;
        case 2:
          g_string_append_printf (s, "%s%s%02u", sur, giv, rng_below (r, 100));
          break;
        case 3:
          g_string_append_printf (s, "%s_%s", sur, giv);
          break;
        default:
          g_string_append_printf (s, "%s%u", giv, rng_range (r, 1960, 2005));
          break;
        }
      g_string_append_printf (s, "@%s", PICK (r, chinese_domains));
      return;
    }

  switch (rng_below (r, 4))
    {
    case 0:
      append_ascii_word (s, p->first);
      g_string_append_c (s, '.');
      append_ascii_word (s, p->last);
      break;
    case 1:
      g_string_append_c (s, g_ascii_tolower (p->first[0]));
      append_ascii_word (s, p->last);
      break;
    case 2:
      append_ascii_word (s, p->first);
      append_ascii_word (s, p->last);
      g_string_append_printf (s, "%02u", rng_below (r, 100));
      break;
    default:
      append_ascii_word (s, p->first);
      g_string_append_c (s, '_');
      append_ascii_word (s, p->last);
      break;
    }
  g_string_append_printf (s, "@%s", PICK (r, latin_domains));
}

static guint
count_strings (const char * const *strings,
               guint               max)
{
  guint n = 0;

  while (n < max && strings[n] != NULL)
    n++;

  return n;
}

static void
make_address (Generator    *g,
              const Person *p)
{
  static const char uk_letters[] = "ABDEFGHJLNPQRSTUWXYZ";
  Rng *r = &g->rng;
  GString *s = g->address;

  g_string_truncate (s, 0);

  if (!p->business && !rng_percent (r, 80))
    return;

  switch (p->country)
    {
    case COUNTRY_CN:
      {
        const ChineseCity *c = p->city;
        guint n_districts = count_strings (c->districts, G_N_ELEMENTS (c->districts));
        guint n_roads = count_strings (c->roads, G_N_ELEMENTS (c->roads));

        /* "上海市徐汇区漕溪北路 88 号 3 楼" */
        if (c->province && rng_percent (r, 50))
          g_string_append (s, c->province);
        g_string_append_printf (s, "%s%s%s %u 号", c->city,
                                c->districts[rng_below (r, n_districts)],
                                c->roads[rng_below (r, n_roads)],
                                rng_range (r, 1, 999));
        switch (rng_below (r, 10))
          {
          case 0: case 1: case 2:
            g_string_append_printf (s, " %u 楼", rng_range (r, 1, 28));
            break;
          case 3: case 4:
            g_string_append_printf (s, " %u 栋 %u%02u 室",
                                    rng_range (r, 1, 30), rng_range (r, 1, 28), rng_range (r, 1, 6));
            break;
          default:
            break;
          }
      }
      break;

    case COUNTRY_US:
      {
        const UsCity *c = p->us_city;

        g_string_append_printf (s, "%u %s, %s, %s %03u%02u",
                                rng_range (r, 1, 2999), PICK (r, us_streets),
                                c->city, c->state, c->zip_prefix, rng_below (r, 100));
      }
      break;

    case COUNTRY_UK:
      {
        const UkTown *t = p->uk_town;

        g_string_append_printf (s, "%u %s, %s %s %u%c%c",
                                rng_range (r, 1, 199), PICK (r, uk_streets), t->town,
                                PICK (r, t->outward), rng_below (r, 10),
                                uk_letters[rng_below (r, sizeof uk_letters - 1)],
                                uk_letters[rng_below (r, sizeof uk_letters - 1)]);
      }
      break;

    case COUNTRY_SG:
    default:
      /* "12 Harbour Road, Singapore 049315" */
      if (rng_percent (r, 50))
        g_string_append_printf (s, "%u %s, Singapore %02u%04u",
                                rng_range (r, 1, 400), PICK (r, sg_roads),
                                rng_range (r, 1, 82), rng_below (r, 10000));
      else
        g_string_append_printf (s, "Blk %u %s, #%02u-%02u, Singapore %02u%04u",
                                rng_range (r, 100, 999), PICK (r, sg_estates),
                                rng_range (r, 2, 25), rng_range (r, 1, 150),
                                rng_range (r, 1, 82), rng_below (r, 10000));
      break;
    }
}

static void
make_tax_id (Generator    *g,
             const Person *p)
{
  /* The characters of a Chinese unified social credit code. */
  static const char uscc[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  Rng *r = &g->rng;
  GString *s = g->tax_id;

  g_string_truncate (s, 0);

  if ((!p->business && g->company->len == 0) || !rng_percent (r, 50))
    return;

  switch (p->country)
    {
    case COUNTRY_CN:
      g_string_append_printf (s, "91%06u", p->city->region + rng_range (r, 1, 17));
      append_random_alnum (r, s, 10, uscc);
      break;
    case COUNTRY_US:
      g_string_append_printf (s, "%02u-%07u", rng_range (r, 10, 99), rng_below (r, 10000000));
      break;
    case COUNTRY_UK:
      g_string_append_printf (s, "GB%09u", rng_range (r, 100000000, 999999999));
      break;
    case COUNTRY_SG:
    default:
      g_string_append_printf (s, "%u%05u%c", rng_range (r, 1995, 2024), rng_below (r, 100000),
                              'A' + rng_below (r, 26));
      break;
    }
}

static Tag
pick_tag (Rng         *r,
          const guint  weights[N_TAGS])
{
  guint total = 0;
  guint x;

  for (guint i = 0; i < N_TAGS; i++)
    total += weights[i];

  x = rng_below (r, total);
  for (guint i = 0; i < N_TAGS; i++)
    {
      if (x < weights[i])
        return (Tag) i;
      x -= weights[i];
    }

  return TAG_VIP;
}

/* Writes the tags in their normalised form, "vip,会员". */
static void
make_tags (Generator    *g,
           const Person *p)
{
  Rng *r = &g->rng;
  const guint *weights;
  guint n = rng_below (r, 100);
  Tag first;

  g_string_truncate (g->tags, 0);

  n = n < 55 ? 0 : n < 90 ? 1 : 2;
  if (n == 0)
    return;

  if (p->business || g->company->len > 0)
    weights = tag_weights_company;
  else if (p->chinese)
    weights = tag_weights_chinese;
  else
    weights = tag_weights_latin;

  first = pick_tag (r, weights);
  g_string_append (g->tags, tag_names[first]);

  if (n == 2)
    {
      Tag second = pick_tag (r, weights);

      /* A few tries for a different one; the same tag twice is one tag. */
      for (guint tries = 0; second == first && tries < 4; tries++)
        second = pick_tag (r, weights);
      if (second != first)
        g_string_append_printf (g->tags, ",%s", tag_names[second]);
    }
}

static void
make_wechat_id (Generator    *g,
                const Person *p)
{
  static const char lower_alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  Rng *r = &g->rng;
  GString *s = g->wechat;

  g_string_truncate (s, 0);

  if (!rng_percent (r, p->chinese ? 45 : 5))
    return;

  if (p->chinese && p->business)
    {
      g_string_append_printf (s, "%s_%u", p->brand->pinyin, rng_range (r, 100, 999));
      return;
    }

  switch (rng_below (r, 3))
    {
    case 0:
      g_string_append (s, "wxid_");
      append_random_alnum (r, s, 14, lower_alnum);
      break;
    case 1:
      if (p->chinese)
        g_string_append_printf (s, "%s%s%02u", p->surname->pinyin, p->given->pinyin,
                                rng_below (r, 100));
      else
        {
          append_ascii_word (s, p->first);
          g_string_append_c (s, '_');
          append_ascii_word (s, p->last);
        }
      break;
    default:
      if (p->chinese)
        g_string_append_printf (s, "%s_%s%u", p->given->pinyin, p->surname->pinyin,
                                rng_range (r, 1960, 2005));
      else
        {
          g_string_append_c (s, g_ascii_tolower (p->first[0]));
          append_ascii_word (s, p->last);
          g_string_append (s, "_sg");
        }
      break;
    }
}

static gboolean
insert_field_value (Generator   *g,
                    gint64       customer_id,
                    gint64       field_id,
                    const char  *value,
                    GError     **error)
{
  sqlite3_stmt *stmt = g->insert_field_value;

  sqlite3_bind_int64 (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, field_id);
  _bb_stmt_bind_text (stmt, 3, value);

  return _bb_db_step_done (g->db, stmt, error);
}

typedef struct
{
  guint32  day;
  gboolean pending;       /* a follow-up due in the next 30 days */
} PlannedInteraction;

static gboolean
make_interactions (Generator     *g,
                   const Person  *p,
                   gint64         customer_id,
                   guint32        created_day,
                   GError       **error)
{
  Rng *r = &g->rng;
  const guint *channel_weights = p->chinese ? channel_weights_chinese : channel_weights_latin;
  const KindTexts *texts = p->chinese ? chinese_texts : latin_texts;
  PlannedInteraction plan[MAX_INTERACTIONS];
  guint32 first_day = MAX (created_day, g->today - DAYS_OF_INTERACTIONS);
  guint n = (guint) PICK_WEIGHTED (r, interactions_per_customer)->value;

  for (guint i = 0; i < n; i++)
    {
      plan[i].pending = rng_percent (r, 10);
      /* A follow-up still to do was agreed recently. */
      if (plan[i].pending)
        plan[i].day = rng_range (r, MAX (first_day, g->today - 45), g->today);
      else
        plan[i].day = rng_range (r, first_day, g->today);
    }

  /* Oldest first, so ids follow the dates. */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && plan[j - 1].day > plan[j].day; j--)
      {
        PlannedInteraction t = plan[j];

        plan[j] = plan[j - 1];
        plan[j - 1] = t;
      }

  for (guint i = 0; i < n; i++)
    {
      sqlite3_stmt *stmt = g->insert_interaction;
      char occurred_on[11];
      char follow_up_on[11];
      char created_at[21];
      gboolean has_follow_up = FALSE;
      gboolean done = FALSE;
      const char *outcome;
      Kind kind;
      Channel channel;
      guint pick;
      guint32 total = 0;

      if (plan[i].pending)
        kind = rng_percent (r, 60) ? KIND_FOLLOW_UP : KIND_COMMUNICATION;
      else
        {
          pick = rng_below (r, 100);
          for (kind = 0; kind < N_KINDS - 1; kind++)
            {
              if (pick < kind_weights[kind])
                break;
              pick -= kind_weights[kind];
            }
        }

      for (guint c = 0; c < N_CHANNELS; c++)
        total += channel_weights[c];
      pick = rng_below (r, total);
      for (channel = 0; channel < N_CHANNELS - 1; channel++)
        {
          if (pick < channel_weights[channel])
            break;
          pick -= channel_weights[channel];
        }
      if (channel == CHANNEL_EMAIL && g->email->len == 0)
        channel = CHANNEL_PHONE;
      if (channel == CHANNEL_WECHAT && g->wechat->len == 0 && !p->chinese)
        channel = CHANNEL_OTHER;

      pick = rng_below (r, G_N_ELEMENTS (texts[kind].summaries));
      outcome = texts[kind].outcomes[pick];

      format_date (plan[i].day, occurred_on);
      format_time ((guint64) plan[i].day * 86400 + rng_range (r, 1 * 3600, 11 * 3600), created_at);

      if (plan[i].pending)
        {
          format_date (g->today + rng_range (r, 0, 30), follow_up_on);
          has_follow_up = TRUE;
          outcome = p->chinese ? PICK (r, chinese_pending_outcomes)
                               : PICK (r, latin_pending_outcomes);
        }
      else
        {
          /* Not every talk gets its outcome written down. */
          if (kind != KIND_COMPLAINT && rng_percent (r, 20))
            outcome = "";
          if (rng_percent (r, 12))
            {
              guint32 when = plan[i].day + rng_range (r, 1, 14);

              format_date (when, follow_up_on);
              has_follow_up = TRUE;
              /* Most past follow-ups were done; a few were forgotten. */
              done = when <= g->today && rng_percent (r, 90);
            }
        }

      sqlite3_bind_int64 (stmt, 1, customer_id);
      _bb_stmt_bind_text (stmt, 2, occurred_on);
      _bb_stmt_bind_text (stmt, 3, channel_names[channel]);
      _bb_stmt_bind_text (stmt, 4, kind_names[kind]);
      _bb_stmt_bind_text (stmt, 5, texts[kind].summaries[pick]);
      _bb_stmt_bind_text (stmt, 6, outcome);
      _bb_stmt_bind_text (stmt, 7, has_follow_up ? follow_up_on : NULL);
      sqlite3_bind_int (stmt, 8, done);
      _bb_stmt_bind_text (stmt, 9, created_at);

      if (!_bb_db_step_done (g->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
make_customer (Generator  *g,
               guint       index,
               guint       n_customers,
               GError    **error)
{
  Rng *r = &g->rng;
  sqlite3_stmt *stmt = g->insert_customer;
  g_autofree char *search_text = NULL;
  const char *notes = "";
  char code[16];
  char created_at[21];
  char updated_at[21];
  char reviewed_on[11];
  guint64 span, step, start, created, updated;
  guint32 created_day, reviewed_day;
  gint64 credit_limit = 0;
  gint64 id;
  gboolean archived;
  int terms;
  Person p;

  make_person (g, &p);
  make_name (g, &p);
  make_company (g, &p);
  make_phone (g, &p);
  make_email (g, &p);
  make_address (g, &p);
  make_tax_id (g, &p);
  make_tags (g, &p);
  make_wechat_id (g, &p);

  /* Codes in order, and creation times rising with them across the last
   * ten years (up to the start of today). */
  g_snprintf (code, sizeof code, "C%06u", index + 1);
  span = (guint64) YEARS_OF_CUSTOMERS * 36525 / 100 * 86400;
  start = (guint64) g->today * 86400 - span;
  step = MAX (span / n_customers, 1);
  created = start + span * index / n_customers + rng_next (r) % step;
  created_day = (guint32) (created / 86400);
  format_time (created, created_at);

  updated = created;
  if (rng_percent (r, 30))
    updated += rng_next (r) % ((guint64) g->today * 86400 - created);
  format_time (updated, updated_at);

  /* Most details were checked lately; some not for a long time, which
   * the review reminder picks up. */
  if (rng_percent (r, 85))
    reviewed_day = MAX (created_day, g->today - rng_range (r, 0, 80));
  else
    reviewed_day = rng_range (r, created_day, g->today);
  format_date (reviewed_day, reviewed_on);

  if (p.business || g->company->len > 0)
    terms = PICK_WEIGHTED (r, terms_company)->value;
  else
    terms = PICK_WEIGHTED (r, terms_person)->value;

  /* 5,000.00 to 50,000.00, in steps of 1,000. */
  if (rng_percent (r, p.business || g->company->len > 0 ? 35 : 8))
    credit_limit = (gint64) rng_range (r, 5, 50) * 1000 * g->minor_per_unit;

  if (rng_percent (r, 20))
    notes = p.chinese ? PICK (r, chinese_notes) : PICK (r, latin_notes);

  archived = created_day + 2 * 365 < g->today && rng_percent (r, 2);

  search_text = _bb_customer_build_search_text (code, g->name->str, g->company->str,
                                                g->phone->str, g->email->str, g->tags->str);

  _bb_stmt_bind_text (stmt, 1, code);
  _bb_stmt_bind_text (stmt, 2, g->name->str);
  _bb_stmt_bind_text (stmt, 3, g->company->str);
  _bb_stmt_bind_text (stmt, 4, g->phone->str);
  _bb_stmt_bind_text (stmt, 5, g->email->str);
  _bb_stmt_bind_text (stmt, 6, g->address->str);
  _bb_stmt_bind_text (stmt, 7, g->tax_id->str);
  sqlite3_bind_int64 (stmt, 8, credit_limit);
  sqlite3_bind_int (stmt, 9, terms);
  _bb_stmt_bind_text (stmt, 10, g->tags->str);
  _bb_stmt_bind_text (stmt, 11, notes);
  _bb_stmt_bind_text (stmt, 12, created_at);
  _bb_stmt_bind_text (stmt, 13, updated_at);
  _bb_stmt_bind_text (stmt, 14, reviewed_on);
  sqlite3_bind_int (stmt, 15, archived);
  _bb_stmt_bind_text (stmt, 16, search_text);

  if (!_bb_db_step_done (g->db, stmt, error))
    return FALSE;

  id = sqlite3_last_insert_rowid (_bb_db_get_handle (g->db));

  {
    CustomerFacts *facts = &g->customers[index];

    facts->id = id;
    facts->created_day = created_day;
    facts->terms = (guint16) terms;
    facts->chinese = p.chinese;
    facts->company = p.business || g->company->len > 0;
    facts->archived = archived;
  }

  /* Custom fields: a birthday for some people, a WeChat ID for many
   * Chinese customers. */
  if (!p.business && rng_percent (r, 25))
    {
      char birthday[11];

      format_date (g->today - rng_range (r, 18 * 365, 80 * 365), birthday);
      if (!insert_field_value (g, id, g->birthday_field, birthday, error))
        return FALSE;
    }
  if (g->wechat->len > 0 &&
      !insert_field_value (g, id, g->wechat_field, g->wechat->str, error))
    return FALSE;

  return make_interactions (g, &p, id, created_day, error);
}

/* ---- Making bills --------------------------------------------------- */

static void
report_step (Generator *g)
{
  g->done++;
  if (g->progress && (g->done % g->report_every == 0 || g->done == g->total))
    g->progress (g->done, g->total, g->progress_data);
}

static int
year_of (guint32 julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return g_date_get_year (&date);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Who gets how many bills and on which days. A customer's share grows
 * with how much they buy and how long they have been buying, so the
 * older customers have more bills and each year is busier than the one
 * before, as the shop gains customers. The shares are rounded along
 * their running sum so that they add up to exactly g->n_bills.
 *
 * Returns: one key a bill, (day << 32) | customer index, sorted: the
 *   order of issue */
static guint64 *
plan_bills (Generator *g)
{
  Rng *r = &g->bill_rng;
  guint64 *keys = g_new (guint64, g->n_bills);
  guint64 total_weight = 0;
  guint64 cumulative = 0;
  guint64 made = 0;
  guint k = 0;

  for (guint i = 0; i < g->n_customers; i++)
    {
      CustomerFacts *c = &g->customers[i];
      guint activity = (guint) (c->company ? PICK_WEIGHTED (r, activity_company)->value
                                           : PICK_WEIGHTED (r, activity_person)->value);

      /* Archived customers stopped buying a year or two ago (they were
       * made at least two years back). */
      c->last_day = g->today;
      if (c->archived)
        c->last_day = MAX (c->created_day, g->today - rng_range (r, 365, 730));
      c->weight = activity * (c->last_day - c->created_day + 1);
      total_weight += c->weight;
    }

  for (guint i = 0; i < g->n_customers; i++)
    {
      const CustomerFacts *c = &g->customers[i];
      guint32 days = c->last_day - c->created_day + 1;
      guint64 upto;

      /* At most BB_DEMO_MAX_INVOICES × BB_DEMO_MAX_CUSTOMERS × 8 × 3654:
       * well inside 64 bits. */
      cumulative += c->weight;
      upto = (guint64) g->n_bills * cumulative / total_weight;
      for (; made < upto; made++)
        keys[k++] = ((guint64) (c->created_day + rng_below (r, days)) << 32) | i;
    }
  g_assert (k == g->n_bills);

  qsort (keys, g->n_bills, sizeof *keys, compare_keys);

  return keys;
}

/* The newest bill that is issued, or the one nearest @from going back. */
static gboolean
find_issued (const guint8 *statuses,
             guint         from,
             guint        *found)
{
  for (guint k = from + 1; k-- > 0; )
    if (statuses[k] == BB_INVOICE_ISSUED)
      {
        *found = k;
        return TRUE;
      }

  return FALSE;
}

/* Issued, mostly; in the last weeks some drafts and bills in review,
 * and now and then a void one. A book of 20 bills or more shows each
 * state at least once. */
static guint8 *
plan_statuses (Generator      *g,
               const guint64  *keys)
{
  Rng *r = &g->bill_rng;
  guint8 *statuses = g_new (guint8, g->n_bills);
  guint counts[BB_INVOICE_VOID + 1] = { 0 };
  guint k;

  for (k = 0; k < g->n_bills; k++)
    {
      guint32 day = (guint32) (keys[k] >> 32);
      BbInvoiceStatus status = BB_INVOICE_ISSUED;

      if (day + RECENT_DAYS > g->today)
        {
          guint x = rng_below (r, 100);

          if (x < 10)
            status = BB_INVOICE_DRAFT;
          else if (x < 15)
            status = BB_INVOICE_REVIEW;
        }
      if (status == BB_INVOICE_ISSUED && rng_below (r, 1000) < 20)
        status = BB_INVOICE_VOID;

      statuses[k] = (guint8) status;
      counts[status]++;
    }

  if (g->n_bills >= 20)
    {
      if (counts[BB_INVOICE_DRAFT] == 0 && find_issued (statuses, g->n_bills - 1, &k))
        statuses[k] = BB_INVOICE_DRAFT;
      if (counts[BB_INVOICE_REVIEW] == 0 && find_issued (statuses, g->n_bills - 1, &k))
        statuses[k] = BB_INVOICE_REVIEW;
      if (counts[BB_INVOICE_VOID] == 0 && find_issued (statuses, g->n_bills / 2, &k))
        statuses[k] = BB_INVOICE_VOID;
    }

  return statuses;
}

static const CatalogueItem *
pick_item (Rng      *r,
           gboolean  car)
{
  return car ? PICK_WEIGHTED (r, car_care) : PICK_WEIGHTED (r, cafe);
}

/* Today's price, less about 3 % a year back, in minor units. */
static BbMoney
price_of (Generator            *g,
          const CatalogueItem  *item,
          guint                 years_back)
{
  Rng *r = &g->bill_rng;
  guint64 price = item->lo + (guint64) rng_below (r, (item->hi - item->lo) / item->step + 1) * item->step;

  price = (price * (100 - 3 * MIN (years_back, 10)) / 100 + item->step / 2) / item->step * item->step;
  price = CLAMP (price, 500, 200000);

  return (BbMoney) price * g->minor_per_unit / 100;
}

static BbQuantity
quantity_of (Generator            *g,
             const CatalogueItem  *item,
             gboolean              company)
{
  Rng *r = &g->bill_rng;

  switch (item->quantity)
    {
    case QTY_WEIGHT:
      /* 0.5, 0.75, 1, 1.25 … */
      return (BbQuantity) rng_range (r, 2, item->max_quantity * 4) * BB_QUANTITY_ONE / 4;
    case QTY_HOURS:
      return (BbQuantity) rng_range (r, 1, item->max_quantity * 2) * BB_QUANTITY_ONE / 2;
    case QTY_PIECES:
    default:
      if (item->max_quantity <= 1 || rng_percent (r, company ? 40 : 75))
        return BB_QUANTITY_ONE;
      return (BbQuantity) rng_range (r, 2, item->max_quantity) * BB_QUANTITY_ONE;
    }
}

/* Makes and stores one bill of customer @c dated @day. Issued and void
 * bills are stored as drafts with their lines (the schema freezes the
 * lines of an issued bill), then given their @number and state. */
static gboolean
make_bill (Generator            *g,
           const CustomerFacts  *c,
           guint32               day,
           BbInvoiceStatus       status,
           const char           *number,
           GError              **error)
{
  Rng *r = &g->bill_rng;
  sqlite3_stmt *stmt;
  const CatalogueItem *items[MAX_LINES];
  BbInvoiceLine lines[MAX_LINES];
  BbMoney subtotal = 0, net = 0, tax = 0, total = 0, discount_total = 0;
  guint n_lines = (guint) PICK_WEIGHTED (r, lines_per_bill)->value;
  guint n_bought = n_lines;
  BbRate discount = PICK_WEIGHTED (r, bill_discounts)->value;
  gboolean car = rng_percent (r, c->chinese ? 55 : 30);
  guint years_back = (g->today - day) / 365;
  const char *notes = "";
  const char *void_reason = NULL;
  char issued_on[11];
  char due_on[11];
  char created_at[21];
  char updated_at[21];
  guint64 created, updated;
  gint64 id;

  /* What was bought, all different… */
  if (n_lines >= 2 && rng_percent (r, 35))
    n_bought--;
  for (guint i = 0; i < n_bought; i++)
    {
      gboolean again = TRUE;

      for (guint tries = 0; again && tries < 4; tries++)
        {
          items[i] = pick_item (r, car);
          again = FALSE;
          for (guint j = 0; j < i; j++)
            again |= items[j] == items[i];
        }
    }
  /* …and perhaps delivery, a fee or shipping abroad. */
  if (n_bought < n_lines)
    items[n_bought] = !c->chinese && !car ? &shipping_abroad : PICK_WEIGHTED (r, extras);

  /* Totals by core's rule, as bb_invoice_compute_totals() sums them. */
  for (guint i = 0; i < n_lines; i++)
    {
      const CatalogueItem *item = items[i];
      BbInvoiceLine *line = &lines[i];

      line->description = (char *) (c->chinese ? item->zh : item->en);
      line->quantity = quantity_of (g, item, c->company);
      line->unit_price = price_of (g, item, years_back);
      line->discount = i < n_bought ? discount : 0;
      line->tax_rate = !c->chinese && item->zero_abroad ? 0 : item->tax_rate;

      if (!bb_invoice_line_compute (line, error))
        return FALSE;
      if (!bb_money_add (subtotal, line->gross, &subtotal) ||
          !bb_money_add (net, line->net, &net) ||
          !bb_money_add (tax, line->tax, &tax))
        {
          g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED, "A sample bill is too large to compute");
          return FALSE;
        }
    }
  if (!bb_money_add (net, tax, &total) || !bb_money_sub (subtotal, net, &discount_total))
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_FAILED, "A sample bill is too large to compute");
      return FALSE;
    }

  if (rng_percent (r, 5))
    notes = c->chinese ? PICK (r, chinese_bill_notes) : PICK (r, latin_bill_notes);

  format_date (day, issued_on);
  format_date (day + c->terms, due_on);

  /* Made in opening hours (01:00–11:00 UTC is 09:00–19:00 in China);
   * issued minutes later, voided a day or so after. */
  created = (guint64) day * 86400 + rng_range (r, 1 * 3600, 10 * 3600);
  updated = created + rng_range (r, 60, 1800);
  if (status == BB_INVOICE_VOID)
    {
      guint32 void_day = MIN (day + rng_range (r, 0, 3), g->today);

      updated = MAX (updated, (guint64) void_day * 86400 + rng_range (r, 1 * 3600, 11 * 3600));
      void_reason = c->chinese ? PICK (r, chinese_void_reasons) : PICK (r, latin_void_reasons);
    }
  format_time (created, created_at);
  format_time (updated, updated_at);

  stmt = g->insert_invoice;
  sqlite3_bind_int64 (stmt, 1, c->id);
  _bb_stmt_bind_text (stmt, 2, bb_invoice_status_to_string (status == BB_INVOICE_REVIEW
                                                            ? BB_INVOICE_REVIEW : BB_INVOICE_DRAFT));
  _bb_stmt_bind_text (stmt, 3, issued_on);
  _bb_stmt_bind_text (stmt, 4, due_on);
  _bb_stmt_bind_text (stmt, 5, g->currency->code);
  _bb_stmt_bind_text (stmt, 6, notes);
  sqlite3_bind_int64 (stmt, 7, subtotal);
  sqlite3_bind_int64 (stmt, 8, discount_total);
  sqlite3_bind_int64 (stmt, 9, tax);
  sqlite3_bind_int64 (stmt, 10, total);
  _bb_stmt_bind_text (stmt, 11, created_at);
  _bb_stmt_bind_text (stmt, 12, number ? created_at : updated_at);
  if (!_bb_db_step_done (g->db, stmt, error))
    return FALSE;

  id = sqlite3_last_insert_rowid (_bb_db_get_handle (g->db));

  stmt = g->insert_line;
  for (guint i = 0; i < n_lines; i++)
    {
      const BbInvoiceLine *line = &lines[i];

      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, (int) i + 1);
      _bb_stmt_bind_text (stmt, 3, line->description);
      sqlite3_bind_int64 (stmt, 4, line->quantity);
      sqlite3_bind_int64 (stmt, 5, line->unit_price);
      sqlite3_bind_int (stmt, 6, line->discount);
      sqlite3_bind_int (stmt, 7, line->tax_rate);
      sqlite3_bind_int64 (stmt, 8, line->net);
      sqlite3_bind_int64 (stmt, 9, line->tax);
      if (!_bb_db_step_done (g->db, stmt, error))
        return FALSE;
    }

  if (number == NULL)
    return TRUE;

  /* Nothing is paid yet: an issued bill is open for its total, a void
   * one for nothing. The payments issue adds payments and allocations
   * here, so that about 70 % of bills are paid on time. */
  stmt = g->issue_invoice;
  sqlite3_bind_int64 (stmt, 1, id);
  _bb_stmt_bind_text (stmt, 2, bb_invoice_status_to_string (status));
  _bb_stmt_bind_text (stmt, 3, number);
  _bb_stmt_bind_text (stmt, 4, void_reason);
  sqlite3_bind_int64 (stmt, 5, status == BB_INVOICE_VOID ? 0 : total);
  _bb_stmt_bind_text (stmt, 6, updated_at);

  return _bb_db_step_done (g->db, stmt, error);
}

static gboolean
save_sequence (Generator  *g,
               int         year,
               gint64      seq,
               GError    **error)
{
  g_autofree char *key = g_strdup_printf ("billing.seq.%04d", year);
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  return bb_db_set_setting (g->db, key, value, error);
}

static gboolean
make_bills (Generator     *g,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree guint64 *keys = NULL;
  g_autofree guint8 *statuses = NULL;
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  int year = 0;
  gint64 seq = 0;

  if (g->n_bills == 0)
    return TRUE;

  g->insert_invoice =
    _bb_db_prepare (g->db,
                    "INSERT INTO invoices (customer_id, kind, status, issued_on, due_on, currency, notes, "
                    "  subtotal, discount_total, tax_total, total, paid, open_balance, created_at, updated_at) "
                    "VALUES (?1, 'invoice', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?10, ?11, ?12)",
                    error);
  if (g->insert_invoice == NULL)
    return FALSE;

  g->insert_line =
    _bb_db_prepare (g->db,
                    "INSERT INTO invoice_lines (invoice_id, position, description, quantity, "
                    "  unit_price, discount, tax_rate, net, tax) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    error);
  if (g->insert_line == NULL)
    return FALSE;

  g->issue_invoice =
    _bb_db_prepare (g->db,
                    "UPDATE invoices SET status = ?2, number = ?3, void_reason = ?4, open_balance = ?5, "
                    "  updated_at = ?6 WHERE id = ?1",
                    error);
  if (g->issue_invoice == NULL)
    return FALSE;

  pattern = bb_invoices_get_pattern (g->db);
  keys = plan_bills (g);
  statuses = plan_statuses (g, keys);

  for (guint k = 0; k < g->n_bills; k++)
    {
      guint32 day = (guint32) (keys[k] >> 32);
      const CustomerFacts *c = &g->customers[(guint32) keys[k]];
      BbInvoiceStatus status = statuses[k];
      g_autofree char *number = NULL;

      if (k % CANCEL_CHECK_EVERY == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* Numbers in the order of issue, from 1 each year. */
      if (status == BB_INVOICE_ISSUED || status == BB_INVOICE_VOID)
        {
          int y = year_of (day);

          if (y != year)
            {
              if (seq > 0 && !save_sequence (g, year, seq, error))
                return FALSE;
              year = y;
              seq = 0;
            }
          number = bb_invoices_format_number (pattern, year, ++seq, error);
          if (number == NULL)
            return FALSE;
        }

      if (!make_bill (g, c, day, status, number, error))
        return FALSE;

      report_step (g);
    }

  if (seq > 0 && !save_sequence (g, year, seq, error))
    return FALSE;

  /* What each customer owes, in one pass over the issued bills. */
  stmt = _bb_db_prepare (g->db,
                         "UPDATE customers SET outstanding = t.owed "
                         "FROM (SELECT customer_id, sum(open_balance) AS owed FROM invoices "
                         "      WHERE status = 'issued' GROUP BY customer_id) AS t "
                         "WHERE customers.id = t.customer_id",
                         error);

  return stmt != NULL && _bb_db_step_done (g->db, stmt, error);
}

/* Adds the custom field @name unless the book has it, and returns its id. */
static gboolean
ensure_custom_field (BbDb        *db,
                     const char  *name,
                     gint64      *id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db,
                         "INSERT INTO customer_fields (name, position) "
                         "SELECT ?1, coalesce(max(position), 0) + 1 FROM customer_fields WHERE 1 "
                         "ON CONFLICT (name) DO NOTHING",
                         error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, name);
  if (!_bb_db_step_done (db, stmt, error))
    return FALSE;

  stmt = _bb_db_prepare (db, "SELECT id FROM customer_fields WHERE name = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _bb_stmt_bind_text (stmt, 1, name);
  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

static gboolean
book_has_customers (BbDb      *db,
                    gboolean  *has,
                    GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _bb_db_prepare (db, "SELECT EXISTS (SELECT 1 FROM customers)", error);
  if (stmt == NULL)
    return FALSE;

  rc = _bb_db_step (db, stmt, error);
  if (rc == SQLITE_ROW)
    *has = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

static gboolean
generate_in_transaction (Generator            *g,
                         const BbDemoOptions  *options,
                         BbDemoProgress        progress,
                         gpointer              progress_data,
                         GCancellable         *cancellable,
                         GError              **error)
{
  BbDb *db = g->db;
  guint n = options->n_customers;
  g_autofree char *next_code = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *bills_detail = NULL;
  gboolean has_customers = FALSE;

  if (!book_has_customers (db, &has_customers, error))
    return FALSE;
  if (has_customers)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("The book already has customers; sample data goes only into an empty book"));
      return FALSE;
    }

  if (!ensure_custom_field (db, "Birthday", &g->birthday_field, error) ||
      !ensure_custom_field (db, "WeChat ID", &g->wechat_field, error))
    return FALSE;

  g->insert_customer =
    _bb_db_prepare (db,
                    "INSERT INTO customers (code, name, company, phone, email, address, tax_id, "
                    "  credit_limit, payment_terms_days, tags, notes, created_at, updated_at, "
                    "  reviewed_on, archived, search_text) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                    error);
  if (g->insert_customer == NULL)
    return FALSE;

  g->insert_interaction =
    _bb_db_prepare (db,
                    "INSERT INTO interactions (customer_id, occurred_on, channel, kind, summary, "
                    "  outcome, follow_up_on, follow_up_done, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    error);
  if (g->insert_interaction == NULL)
    return FALSE;

  g->insert_field_value =
    _bb_db_prepare (db,
                    "INSERT INTO customer_field_values (customer_id, field_id, value) "
                    "VALUES (?1, ?2, ?3)",
                    error);
  if (g->insert_field_value == NULL)
    return FALSE;

  g->customers = g_new0 (CustomerFacts, n);
  g->n_customers = n;
  g->progress = progress;
  g->progress_data = progress_data;
  g->done = 0;
  g->total = n + g->n_bills;
  g->report_every = MAX (g->total / 100, 1);

  if (progress)
    progress (0, g->total, progress_data);

  for (guint i = 0; i < n; i++)
    {
      if (i % CANCEL_CHECK_EVERY == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (!make_customer (g, i, n, error))
        return FALSE;

      report_step (g);
    }

  next_code = g_strdup_printf ("%u", n + 1);
  if (!bb_db_set_setting (db, "customers.next_code", next_code, error))
    return FALSE;

  detail = g_strdup_printf ("%u customers", n);
  if (!_bb_db_audit (db, "demo", "customers", 0, detail, error))
    return FALSE;

  if (!make_bills (g, cancellable, error))
    return FALSE;

  bills_detail = g_strdup_printf ("%u bills", g->n_bills);
  if (g->n_bills > 0 && !_bb_db_audit (db, "demo", "invoices", 0, bills_detail, error))
    return FALSE;

  /* Classes as the rule gives them on the book's "today": the overdue
   * customers are C from the start. */
  {
    GDate today;

    g_date_clear (&today, 1);
    g_date_set_julian (&today, g->today);
    if (!bb_customers_refresh_classes (db, &today, NULL, error))
      return FALSE;
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  bb_db_emit_changed (db, "customer_fields", 0);
  bb_db_emit_changed (db, "customers", 0);
  bb_db_emit_changed (db, "interactions", 0);
  bb_db_emit_changed (db, "invoices", 0);

  return TRUE;
}

static void
generator_clear (Generator *g)
{
  /* The statements belong to the book's cache; leave no data bound. */
  if (g->insert_customer)
    sqlite3_clear_bindings (g->insert_customer);
  if (g->insert_interaction)
    sqlite3_clear_bindings (g->insert_interaction);
  if (g->insert_field_value)
    sqlite3_clear_bindings (g->insert_field_value);
  if (g->insert_invoice)
    sqlite3_clear_bindings (g->insert_invoice);
  if (g->insert_line)
    sqlite3_clear_bindings (g->insert_line);
  if (g->issue_invoice)
    sqlite3_clear_bindings (g->issue_invoice);

  g_free (g->customers);

  g_string_free (g->name, TRUE);
  g_string_free (g->company, TRUE);
  g_string_free (g->phone, TRUE);
  g_string_free (g->email, TRUE);
  g_string_free (g->address, TRUE);
  g_string_free (g->tax_id, TRUE);
  g_string_free (g->tags, TRUE);
  g_string_free (g->wechat, TRUE);
}

static gint64
get_cache_size (BbDb *db)
{
  sqlite3_stmt *stmt = _bb_db_prepare (db, "PRAGMA cache_size", NULL);
  gint64 size = -2000;        /* SQLite's default: 2000 KiB */

  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        size = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  return size;
}

static gboolean
check_options (const BbDemoOptions  *options,
               GDate                *today,
               GError              **error)
{
  if (options->n_customers < 1 || options->n_customers > BB_DEMO_MAX_CUSTOMERS)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Number of customers: %u is not between 1 and %u"),
                   options->n_customers, (guint) BB_DEMO_MAX_CUSTOMERS);
      return FALSE;
    }

  if (options->n_invoices > BB_DEMO_MAX_INVOICES)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Number of bills: %u is more than %u"),
                   options->n_invoices, (guint) BB_DEMO_MAX_INVOICES);
      return FALSE;
    }

  if (options->today == NULL)
    {
      bb_date_set_today (today);
      return TRUE;
    }

  if (!bb_date_parse (options->today, _("Today"), today, error))
    return FALSE;

  /* Every date made (ten years back, birthdays, follow-ups a month
   * ahead) stays one the book accepts. */
  if (g_date_get_year (today) < 2000 || g_date_get_year (today) > 2190)
    {
      g_set_error (error, BB_DB_ERROR, BB_DB_ERROR_INVALID,
                   _("Today: %s is outside the years 2000 to 2190 that sample data is made for"), options->today);
      return FALSE;
    }

  return TRUE;
}

/**
 * bb_demo_generate:
 * @db: an empty book (no customers)
 * @options: how many customers and bills, the seed and the day to build
 *   around; @options->n_invoices 0 makes BB_DEMO_INVOICES_PER_CUSTOMER
 *   bills for each customer
 * @progress: (nullable): told how many steps are done (a customer, then
 *   a bill, each one step), about a hundred times, in the calling thread
 * @cancellable: (nullable): cancelling undoes everything
 *
 * Fills an empty book with sample customers, their custom field values
 * ("Birthday", "WeChat ID", added if missing), interaction logs and
 * bills over the last ten years, numbered by the book's pattern, in one
 * transaction: all of it or none of it. The same options give the same
 * rows. No payments are made yet, so every issued bill is owed in full
 * (customers.outstanding). The customers' class is left for the money
 * rules to compute.
 *
 * A book that already has customers is refused and left unchanged.
 *
 * Returns: %TRUE on success
 */
gboolean
bb_demo_generate (BbDb                 *db,
                  const BbDemoOptions  *options,
                  BbDemoProgress        progress,
                  gpointer              progress_data,
                  GCancellable         *cancellable,
                  GError              **error)
{
  const BbCurrency *currency;
  g_autofree char *restore_cache_size = NULL;
  gint64 old_cache_size;
  Generator g = { 0 };
  GDate today;
  gboolean ok;

  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_date_clear (&today, 1);
  if (!check_options (options, &today, error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  rng_seed (&g.rng, options->seed);
  /* Bills draw from a stream of their own, so that a seed makes the
   * same customers whatever the number of bills. */
  rng_seed (&g.bill_rng, options->seed ^ G_GUINT64_CONSTANT (0x62696c6c73000000));  /* "bills" */
  g.db = db;
  g.today = g_date_get_julian (&today);
  g.n_bills = options->n_invoices > 0 ? options->n_invoices
                                      : options->n_customers * BB_DEMO_INVOICES_PER_CUSTOMER;
  currency = bb_business_get_currency (db);
  g.currency = currency;
  g.minor_per_unit = 1;
  for (guint i = 0; i < currency->digits; i++)
    g.minor_per_unit *= 10;
  g.name = g_string_sized_new (64);
  g.company = g_string_sized_new (64);
  g.phone = g_string_sized_new (32);
  g.email = g_string_sized_new (64);
  g.address = g_string_sized_new (128);
  g.tax_id = g_string_sized_new (32);
  g.tags = g_string_sized_new (32);
  g.wechat = g_string_sized_new (32);

  /* A page cache of 64 MiB while writing keeps a big book's indexes in
   * memory rather than spilling them to the WAL; the connection gets its
   * own setting back afterwards. */
  old_cache_size = get_cache_size (db);
  _bb_db_exec (db, "PRAGMA cache_size = -65536", NULL);

  ok = bb_db_begin (db, error);
  if (ok)
    {
      ok = generate_in_transaction (&g, options, progress, progress_data, cancellable, error) &&
           bb_db_commit (db, error);
      if (!ok)
        bb_db_rollback (db);
    }

  restore_cache_size = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, old_cache_size); /* sql-ok: the number SQLite gave */
  _bb_db_exec (db, restore_cache_size, NULL);

  generator_clear (&g);

  return ok;
}

/* ---- In a thread ---------------------------------------------------- */

typedef struct
{
  char           *path;
  BbDemoOptions   options;
  char           *today;
  BbDemoProgress  progress;
  gpointer        progress_data;
  GMainContext   *context;
} GenerateData;

static void
generate_data_free (GenerateData *data)
{
  g_free (data->path);
  g_free (data->today);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

typedef struct
{
  BbDemoProgress  progress;
  gpointer        progress_data;
  guint           done;
  guint           total;
} ProgressReport;

static gboolean
report_progress_cb (gpointer user_data)
{
  ProgressReport *report = user_data;

  report->progress (report->done, report->total, report->progress_data);
  return G_SOURCE_REMOVE;
}

/* In the worker thread: passes the figures to the caller's thread. */
static void
thread_progress_cb (guint     done,
                    guint     total,
                    gpointer  user_data)
{
  GenerateData *data = user_data;
  ProgressReport *report = g_new (ProgressReport, 1);

  report->progress = data->progress;
  report->progress_data = data->progress_data;
  report->done = done;
  report->total = total;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT,
                              report_progress_cb, report, g_free);
}

static void
generate_thread (GTask         *task,
                 gpointer       source_object,
                 gpointer       task_data,
                 GCancellable  *cancellable)
{
  GenerateData *data = task_data;
  g_autoptr(BbDb) db = NULL;
  GError *error = NULL;

  /* A connection of its own: the window's stays free for reading. */
  db = bb_db_open (data->path, &error);
  if (db == NULL ||
      !bb_demo_generate (db, &data->options,
                         data->progress ? thread_progress_cb : NULL, data,
                         cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * bb_demo_generate_async:
 * @progress: (nullable): called in the thread-default main context of
 *   the caller, before @callback; @progress_data must live until then
 *
 * Runs bb_demo_generate() in a thread with its own connection to the
 * book, so the window stays responsive.
 */
void
bb_demo_generate_async (BbDb                 *db,
                        const BbDemoOptions  *options,
                        BbDemoProgress        progress,
                        gpointer              progress_data,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GenerateData *data;

  g_return_if_fail (BB_IS_DB (db));
  g_return_if_fail (options != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (GenerateData, 1);
  data->path = g_strdup (bb_db_get_path (db));
  data->options = *options;
  data->today = g_strdup (options->today);
  data->options.today = data->today;
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (db, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_demo_generate_async);
  g_task_set_task_data (task, data, (GDestroyNotify) generate_data_free);
  g_task_run_in_thread (task, generate_thread);
}

/**
 * bb_demo_generate_finish:
 *
 * Announces the new rows on @db (the "changed" signal for customers,
 * custom fields, interactions and invoices), so its views show them.
 *
 * Returns: %TRUE when the sample data was saved
 */
gboolean
bb_demo_generate_finish (BbDb          *db,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (BB_IS_DB (db), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, db), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_demo_generate_async, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  bb_db_emit_changed (db, "customer_fields", 0);
  bb_db_emit_changed (db, "customers", 0);
  bb_db_emit_changed (db, "interactions", 0);
  bb_db_emit_changed (db, "invoices", 0);

  return TRUE;
}
