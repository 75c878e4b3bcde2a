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
 * And what was paid of them: each customer pays in a way of their own
 * (most promptly, some late, a few badly) and mostly by one method, so
 * that about 70 % of bills are paid in full by their due date, others
 * late, in part or never, by cash, bank transfer, card, Alipay, WeChat
 * Pay and now and then a cheque, with references like the bank's or the
 * app's (never from a prepaid card: those are the prepaid ledger's).
 * Some pay a round sum above the bill, and the rest is their credit,
 * which the shop mostly puts on their next bill; a few payments are
 * refunded (a reversing row) and paid again another way. Bills not yet
 * due are mostly still open; drafts, bills in review and void bills are
 * never paid. Payments are written in the order they were received, as
 * if recorded one by one, and every kept sum (a bill's paid and balance
 * due, a customer's outstanding amount, credit and last payment date,
 * then the class) is what core's rules (bb-payments.c) give.
 *
 * The book is reproducible: the same seed, sizes and "today" give the
 * same rows, byte for byte. Randomness comes from xoshiro256** seeded by
 * splitmix64, never from g_random or the clock, and every date is counted
 * from options->today. Only the audit row carries the real time.
 *
 * Everything is written in one transaction with cached prepared
 * statements and no per-row SELECT, so 100,000 customers take seconds
 * and a million bills with their payments about a minute.
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
#include "bb-payment.h"
#include "bb-prepaid.h"
#include "bb-recurring.h"
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

/* ---- Payments ------------------------------------------------------- */

/* How a customer pays, and how each of their bills goes: paid in full by
 * its due date, paid late, paid in part (the rest later or never), or
 * never paid, in percent. Weighted by customers, the bills come out
 * about 70 % on time. */
typedef enum
{
  PAYER_PROMPT,
  PAYER_USUAL,
  PAYER_SLOW,
  PAYER_BAD,
  N_PAYERS
} Payer;

typedef struct
{
  guint on_time;
  guint late;
  guint partial;     /* the rest is never */
  guint weight;
} PayerHabits;

static const PayerHabits payer_habits[N_PAYERS] = {
  [PAYER_PROMPT] = { 98, 2, 0, 45 },
  [PAYER_USUAL]  = { 62, 30, 6, 35 },
  [PAYER_SLOW]   = { 30, 52, 12, 15 },
  [PAYER_BAD]    = { 12, 40, 18, 5 },
};

/* How the money comes, by kind of customer, in the order of
 * BbPaymentMethod; never from a prepaid card (the prepaid ledger's). */
static const guint method_weights_chinese[BB_PAYMENT_N_METHODS]         = { 15, 4, 10, 30, 40, 0, 1 };
static const guint method_weights_chinese_company[BB_PAYMENT_N_METHODS] = { 5, 55, 5, 15, 15, 0, 5 };
static const guint method_weights_latin[BB_PAYMENT_N_METHODS]           = { 20, 15, 52, 4, 4, 0, 5 };
static const guint method_weights_latin_company[BB_PAYMENT_N_METHODS]   = { 5, 68, 20, 0, 0, 0, 7 };

/* Of full payments: how many in a thousand are a round sum above the
 * bill (the rest is credit), how many are refunded and paid again; how
 * often the shop puts credit on the next bill, in percent. */
#define OVERPAID_PER_MILLE   20
#define REFUNDED_PER_MILLE   4
#define CREDIT_USED_PERCENT  80

static const char * const chinese_banks[] = { "ICBC", "CCB", "ABC", "BOC", "CMB", "BOCOM", "SPDB" };
static const char * const card_schemes[] = { "Visa", "Mastercard", "Amex" };

typedef enum
{
  NOTE_NONE,
  NOTE_PART,
  NOTE_REST,
  NOTE_OVERPAID,
  N_NOTES
} PaymentNote;

static const char * const chinese_payment_notes[N_NOTES] = {
  "", "部分付款", "付清余款", "多付部分留作余额",
};

static const char * const latin_payment_notes[N_NOTES] = {
  "", "Part payment", "Balance paid", "Paid a round sum; the rest kept as credit",
};

/* Why a payment was refunded; it is then paid again another way. */
static const char * const chinese_refund_reasons[] = {
  "客户要求改用其他方式付款", "扣款金额有误，已原路退回", "付款账户不是客户本人的，已退回",
};

static const char * const latin_refund_reasons[] = {
  "Customer asked to pay another way", "Charged the wrong amount; refunded in full",
  "Paid from someone else's account; returned",
};

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
  guint8   payer;            /* Payer: how they pay */
  guint8   method;           /* BbPaymentMethod they mostly use */

  /* What the money rows make of them, kept as core keeps it. */
  BbMoney  outstanding;      /* Σ open balance of their issued bills */
  BbMoney  credit;           /* the unallocated rest of payment credit_payment_id */
  gint64   credit_payment_id;  /* 0 until that payment is written */
  guint32  credit_day;       /* when it was received */
  guint32  last_paid_day;    /* the newest payment not refunded; 0: none */
} CustomerFacts;

/* What happens to the money, written in the order it happened. */
typedef enum
{
  EVENT_PAYMENT,      /* a payment and its allocation to one bill */
  EVENT_REFUND,       /* a refund of a whole payment and its reversal */
  EVENT_CREDIT,       /* credit of an earlier payment put on a bill */
} EventKind;

/* An event's key sorts by time, then by the order it was planned in:
 * day << 44 | second of the day << 27 | sequence number. */
#define KEY_DAY_SHIFT     44
#define KEY_SECOND_SHIFT  27
#define KEY_MAX_SEQ       ((G_GUINT64_CONSTANT (1) << KEY_SECOND_SHIFT) - 1)
#define NO_SLOT           G_MAXUINT32

typedef struct
{
  guint64  key;
  guint64  origin;         /* the key of the payment whose reference it bears */
  gint64   invoice_id;
  BbMoney  amount;         /* of the payment or refund; of the allocation for credit */
  BbMoney  allocated;      /* of a payment: what it puts on the bill */
  gint64   payment_id;     /* refund: the payment reversed; credit: the payment it is from */
  guint32  customer;       /* index into Generator.customers */
  guint32  refund;         /* of a payment: the slot of its refund, or NO_SLOT */
  guint8   kind;           /* EventKind */
  guint8   method;         /* BbPaymentMethod */
  guint8   note;           /* PaymentNote */
  guint8   credit_source;  /* of a payment: what it does not allocate is the customer's credit */
} Event;

typedef struct
{
  Rng                rng;
  Rng                bill_rng;          /* apart, so bills leave the customers as they were */
  Rng                pay_rng;           /* apart again, so payments leave the bills as they were */
  guint64            text_salt;         /* for each payment's reference and note */
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
  sqlite3_stmt      *insert_payment;
  sqlite3_stmt      *insert_allocation;

  CustomerFacts     *customers;         /* n_customers of them, in the order made */
  guint              n_customers;
  guint              n_bills;
  guint              n_recurring;       /* recurring charges made */

  /* Money events planned with the bills, written when their day has
   * come: the events (slots reused), the free slots, and a binary heap
   * of the slots pending, by key. */
  GArray            *events;
  GArray            *free_slots;
  GArray            *pending;
  guint64            next_seq;
  guint              bill_index;        /* of the bill being made */
  guint              n_overpaid;        /* planned so far */
  guint              n_refunded;
  guint              n_payment_rows;    /* written */

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

/* ---- Making payments ------------------------------------------------ */

#define KEY_DAY(key)     ((guint32) ((key) >> KEY_DAY_SHIFT))
#define KEY_SECOND(key)  ((guint) (((key) >> KEY_SECOND_SHIFT) & 0x1ffff))

static BbPaymentMethod
draw_method (Rng                 *r,
             const CustomerFacts *c)
{
  const guint *weights;
  guint total = 0;
  guint x;

  if (c->chinese)
    weights = c->company ? method_weights_chinese_company : method_weights_chinese;
  else
    weights = c->company ? method_weights_latin_company : method_weights_latin;

  for (guint i = 0; i < BB_PAYMENT_N_METHODS; i++)
    total += weights[i];

  x = rng_below (r, total);
  for (guint i = 0; i < BB_PAYMENT_N_METHODS; i++)
    {
      if (x < weights[i])
        return (BbPaymentMethod) i;
      x -= weights[i];
    }

  return BB_PAYMENT_CASH;
}

/* Mostly the customer's usual way, now and then another. */
static BbPaymentMethod
pick_method (Generator           *g,
             const CustomerFacts *c)
{
  Rng *r = &g->pay_rng;

  return rng_percent (r, 75) ? (BbPaymentMethod) c->method : draw_method (r, c);
}

/* How each customer pays, from a stream of its own. */
static void
plan_payers (Generator *g)
{
  for (guint i = 0; i < g->n_customers; i++)
    {
      CustomerFacts *c = &g->customers[i];

      c->payer = (guint8) (PICK_WEIGHTED (&g->pay_rng, payer_habits) - payer_habits);
      c->method = (guint8) draw_method (&g->pay_rng, c);
    }
}

static inline Event *
event_at (Generator *g,
          guint32    slot)
{
  return &g_array_index (g->events, Event, slot);
}

/* A new event in a free slot, keyed by when it happens and, within the
 * same second, by the order it was planned in. The slot's Event moves
 * when the next one is made: look it up again with event_at(). */
static guint32
event_new (Generator  *g,
           EventKind   kind,
           guint32     customer,
           gint64      invoice_id,
           guint32     day,
           guint       second)
{
  guint32 slot;
  Event *e;

  g_assert (g->next_seq <= KEY_MAX_SEQ);
  g_assert (day < (1u << (64 - KEY_DAY_SHIFT)));

  if (g->free_slots->len > 0)
    {
      slot = g_array_index (g->free_slots, guint32, g->free_slots->len - 1);
      g_array_set_size (g->free_slots, g->free_slots->len - 1);
    }
  else
    {
      slot = g->events->len;
      g_array_set_size (g->events, slot + 1);
    }

  e = event_at (g, slot);
  memset (e, 0, sizeof *e);
  e->key = ((guint64) day << KEY_DAY_SHIFT) | ((guint64) second << KEY_SECOND_SHIFT) | g->next_seq++;
  e->origin = e->key;
  e->invoice_id = invoice_id;
  e->customer = customer;
  e->refund = NO_SLOT;
  e->kind = (guint8) kind;

  return slot;
}

/* The pending events: a binary heap of slots, the smallest key first. */
static void
pending_push (Generator *g,
              guint32    slot)
{
  guint64 key = event_at (g, slot)->key;
  guint32 *heap;
  guint i;

  g_array_append_val (g->pending, slot);
  heap = (guint32 *) (gpointer) g->pending->data;
  for (i = g->pending->len - 1; i > 0; )
    {
      guint parent = (i - 1) / 2;

      if (event_at (g, heap[parent])->key <= key)
        break;
      heap[i] = heap[parent];
      i = parent;
    }
  heap[i] = slot;
}

static guint32
pending_pop (Generator *g)
{
  guint32 *heap = (guint32 *) (gpointer) g->pending->data;
  guint n = g->pending->len - 1;
  guint32 top = heap[0];
  guint32 last = heap[n];
  guint64 key = event_at (g, last)->key;
  guint i = 0;

  g_array_set_size (g->pending, n);
  if (n == 0)
    return top;

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= n)
        break;
      if (child + 1 < n && event_at (g, heap[child + 1])->key < event_at (g, heap[child])->key)
        child++;
      if (key <= event_at (g, heap[child])->key)
        break;
      heap[i] = heap[child];
      i = child;
    }
  heap[i] = last;

  return top;
}

/* The reference a payment bears, as the bank, the card terminal or the
 * app gives it; a refund bears the one of the payment it reverses. From
 * a stream of the payment's own, so it does not depend on what was
 * written before. */
static void
make_reference (Generator   *g,
                const Event *e,
                char        *out,
                gsize        size)
{
  const CustomerFacts *c = &g->customers[e->customer];
  char iso[11];
  char ymd[9];
  Rng r;

  rng_seed (&r, g->text_salt ^ e->origin);
  format_date (KEY_DAY (e->origin), iso);
  memcpy (ymd, iso, 4);
  memcpy (ymd + 4, iso + 5, 2);
  memcpy (ymd + 6, iso + 8, 2);
  ymd[8] = '\0';

  switch ((BbPaymentMethod) e->method)
    {
    case BB_PAYMENT_BANK_TRANSFER:
      if (c->chinese)
        {
          /* "ICBC 2026031504918273": the bank and its serial number */
          const char *bank = PICK (&r, chinese_banks);
          guint serial = rng_below (&r, 100000000);

          g_snprintf (out, size, "%s %s%08u", bank, ymd, serial);
        }
      else
        {
          /* "FT26074K3J9Q": a SWIFT transfer's reference, with the
           * year and the day of the year */
          static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
          char tail[6];
          GDate date;

          for (guint i = 0; i < 5; i++)
            tail[i] = alnum[rng_below (&r, sizeof alnum - 1)];
          tail[5] = '\0';
          g_date_clear (&date, 1);
          g_date_set_julian (&date, KEY_DAY (e->origin));
          g_snprintf (out, size, "FT%02u%03u%s", (guint) g_date_get_year (&date) % 100,
                      g_date_get_day_of_year (&date), tail);
        }
      break;

    case BB_PAYMENT_CARD:
      {
        /* The customer's own card, the same each time. */
        guint64 x = g->text_salt ^ ((guint64) e->customer + 1) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
        guint64 card = splitmix64 (&x);
        const char *scheme = c->chinese ? "UnionPay" : card_schemes[(card >> 32) % G_N_ELEMENTS (card_schemes)];
        guint auth = rng_below (&r, 1000000);

        g_snprintf (out, size, "%s ****%04u auth %06u", scheme, (guint) (card % 10000), auth);
      }
      break;

    case BB_PAYMENT_ALIPAY:
      {
        /* 28 digits: the date, 2200, then the trade's number */
        guint a = rng_below (&r, 100000000);
        guint b = rng_below (&r, 100000000);

        g_snprintf (out, size, "%s2200%08u%08u", ymd, a, b);
      }
      break;

    case BB_PAYMENT_WECHAT_PAY:
      {
        /* 28 digits: 4200, the merchant's batch, the date, a serial */
        guint batch = rng_below (&r, 1000000);
        guint a = rng_below (&r, 100000);
        guint b = rng_below (&r, 100000);

        g_snprintf (out, size, "4200%06u%s%05u%05u", batch, ymd, a, b);
      }
      break;

    case BB_PAYMENT_OTHER:
      /* A cheque, mostly from firms. */
      if (c->chinese)
        g_snprintf (out, size, "支票 %08u", rng_below (&r, 100000000));
      else
        g_snprintf (out, size, "Cheque %06u", rng_range (&r, 100000, 999999));
      break;

    case BB_PAYMENT_CASH:
    case BB_PAYMENT_PREPAID:
    default:
      out[0] = '\0';
      break;
    }
}

static gboolean
write_allocation (Generator         *g,
                  gint64             payment_id,
                  gint64             invoice_id,
                  BbMoney            amount,
                  BbAllocationKind   kind,
                  const char        *created_at,
                  GError           **error)
{
  sqlite3_stmt *stmt = g->insert_allocation;

  sqlite3_bind_int64 (stmt, 1, payment_id);
  sqlite3_bind_int64 (stmt, 2, invoice_id);
  sqlite3_bind_int64 (stmt, 3, amount);
  _bb_stmt_bind_text (stmt, 4, bb_allocation_kind_to_string (kind));
  _bb_stmt_bind_text (stmt, 5, created_at);

  return _bb_db_step_done (g->db, stmt, error);
}

/* Writes the rows of one event, as core writes them
 * (bb_payments_record(), bb_payments_apply_credit(),
 * bb_payments_reverse()), dated when it happened. */
static gboolean
write_event (Generator  *g,
             guint32     slot,
             GError    **error)
{
  Event *e = event_at (g, slot);
  CustomerFacts *c = &g->customers[e->customer];
  sqlite3_stmt *stmt = g->insert_payment;
  guint32 day = KEY_DAY (e->key);
  const char *note;
  char received_on[11];
  char created_at[21];
  char reference[64];
  gint64 id;

  format_date (day, received_on);
  format_time ((guint64) day * 86400 + KEY_SECOND (e->key), created_at);

  if (e->kind == EVENT_CREDIT)
    return write_allocation (g, e->payment_id, e->invoice_id, e->amount, BB_ALLOCATION_CREDIT,
                             created_at, error);

  make_reference (g, e, reference, sizeof reference);
  if (e->kind == EVENT_REFUND)
    {
      Rng r;

      rng_seed (&r, g->text_salt ^ ~e->key);
      note = c->chinese ? PICK (&r, chinese_refund_reasons) : PICK (&r, latin_refund_reasons);
    }
  else
    note = (c->chinese ? chinese_payment_notes : latin_payment_notes)[e->note];

  sqlite3_bind_int64 (stmt, 1, c->id);
  _bb_stmt_bind_text (stmt, 2, received_on);
  sqlite3_bind_int64 (stmt, 3, e->amount);
  _bb_stmt_bind_text (stmt, 4, bb_payment_method_to_string ((BbPaymentMethod) e->method));
  _bb_stmt_bind_text (stmt, 5, reference);
  _bb_stmt_bind_text (stmt, 6, note);
  if (e->kind == EVENT_REFUND)
    sqlite3_bind_int64 (stmt, 7, e->payment_id);
  else
    sqlite3_bind_null (stmt, 7);
  _bb_stmt_bind_text (stmt, 8, created_at);
  if (!_bb_db_step_done (g->db, stmt, error))
    return FALSE;

  id = sqlite3_last_insert_rowid (_bb_db_get_handle (g->db));
  g->n_payment_rows++;

  if (e->kind == EVENT_REFUND)
    return write_allocation (g, id, e->invoice_id, e->amount, BB_ALLOCATION_REVERSAL, created_at, error);

  /* Those who wait for this payment's id: its refund, and the credit
   * it leaves (used on later days only, so after it is written). */
  if (e->refund != NO_SLOT)
    event_at (g, e->refund)->payment_id = id;
  if (e->credit_source)
    c->credit_payment_id = id;

  return write_allocation (g, id, e->invoice_id, e->allocated, BB_ALLOCATION_PAYMENT, created_at, error);
}

/* Writes the pending events of the days before @day, in order. No event
 * planned from a bill of @day on happens before @day. */
static gboolean
write_events_before (Generator  *g,
                     guint32     day,
                     GError    **error)
{
  while (g->pending->len > 0)
    {
      guint32 slot = g_array_index (g->pending, guint32, 0);

      if (KEY_DAY (event_at (g, slot)->key) >= day)
        break;

      pending_pop (g);
      if (!write_event (g, slot, error))
        return FALSE;
      g_array_append_val (g->free_slots, slot);
    }

  return TRUE;
}

/* What the planning of a bill's money knows and finds. */
typedef struct
{
  guint32  customer;      /* index */
  gint64   invoice_id;
  guint32  day;           /* issued on */
  guint    second;        /* issued at, into the day */
  BbMoney  paid;          /* Σ its allocations planned */
  guint64  last;          /* the time of the last, in seconds (format_time()) */
  guint32  due;           /* due on */
  BbMoney  paid_by_due;   /* Σ of those whose payment came by then (invoices.paid_by_due) */
} BillMoney;

/* An allocation of @amount to the bill, of a payment received on @day. */
static inline void
add_paid (BillMoney *b,
          guint32    day,
          BbMoney    amount)
{
  b->paid += amount;
  if (day <= b->due)
    b->paid_by_due += amount;
}

/* A time of @day in opening hours, after @after_second when @day is
 * @after_day (money does not come before the bill it pays). */
static guint
time_of_day (Rng     *r,
             guint32  day,
             guint32  after_day,
             guint    after_second)
{
  guint second = rng_range (r, 1 * 3600, 11 * 3600);

  if (day == after_day && second <= after_second)
    second = after_second + rng_range (r, 60, 900);

  return second;
}

/* By the due date: on the day for bills due at once, else mostly in
 * the last days before it, which leaves most bills not yet due open. */
static guint32
on_time_day (Generator *g,
             guint32    day,
             guint32    due)
{
  Rng *r = &g->pay_rng;

  if (due == day)
    return day;
  if (rng_percent (r, 60))
    return due - rng_below (r, MIN (due - day, 3) + 1);
  return rng_range (r, day, due);
}

static guint32
days_late (Rng *r)
{
  guint x = rng_below (r, 100);

  if (x < 40)
    return rng_range (r, 1, 7);
  if (x < 75)
    return rng_range (r, 8, 30);
  if (x < 95)
    return rng_range (r, 31, 90);
  return rng_range (r, 91, 365);
}

static void
note_time (BillMoney *b,
           guint32    day,
           guint      second)
{
  b->last = MAX (b->last, (guint64) day * 86400 + second);
}

/* A payment of @amount to the bill, received on @day, unless that is
 * still to come. A payment of the whole (@full) is now and then a round
 * sum above it, whose rest is the customer's credit, or refunded and
 * paid again another way. Each book of some size has one of each from
 * its second half on. */
static void
plan_payment (Generator    *g,
              BillMoney    *b,
              guint32       day,
              BbMoney       amount,
              PaymentNote   note,
              gboolean      full)
{
  Rng *r = &g->pay_rng;
  CustomerFacts *c = &g->customers[b->customer];
  gboolean want_one = g->bill_index >= g->n_bills / 2;
  BbPaymentMethod method;
  BbMoney brought = amount;
  guint32 refund_day = 0;
  guint32 slot, refund_slot;
  guint second, refund_second;
  guint x;
  Event *e;

  if (day > g->today)
    return;

  method = pick_method (g, c);
  second = time_of_day (r, day, b->day, b->second);
  x = rng_below (r, 1000);

  if (full && c->credit == 0 &&
      (x < OVERPAID_PER_MILLE || (want_one && g->n_overpaid == 0)))
    {
      /* Up to the next 50 under 500, else the next 100. */
      BbMoney step = (amount < 500 * g->minor_per_unit ? 50 : 100) * g->minor_per_unit;

      brought = (amount / step + 1) * step;
      note = NOTE_OVERPAID;
      g->n_overpaid++;
    }
  else if (full && method != BB_PAYMENT_CASH &&
           ((x >= OVERPAID_PER_MILLE && x < OVERPAID_PER_MILLE + REFUNDED_PER_MILLE) ||
            (want_one && g->n_refunded == 0)))
    {
      refund_day = day + rng_range (r, 1, 10);
      if (refund_day > g->today)
        refund_day = 0;
    }

  slot = event_new (g, EVENT_PAYMENT, b->customer, b->invoice_id, day, second);
  e = event_at (g, slot);
  e->amount = brought;
  e->allocated = amount;
  e->method = (guint8) method;
  e->note = (guint8) note;
  e->credit_source = brought > amount;
  pending_push (g, slot);

  add_paid (b, day, amount);
  note_time (b, day, second);
  if (brought > amount)
    {
      c->credit = brought - amount;
      c->credit_day = day;
      c->credit_payment_id = 0;
    }

  if (refund_day == 0)
    {
      c->last_paid_day = MAX (c->last_paid_day, day);
      return;
    }

  /* Refunded whole (it leaves no credit), then paid again another way. */
  g->n_refunded++;
  refund_second = rng_range (r, 1 * 3600, 11 * 3600);
  refund_slot = event_new (g, EVENT_REFUND, b->customer, b->invoice_id, refund_day, refund_second);
  e = event_at (g, refund_slot);
  e->origin = event_at (g, slot)->key;
  e->amount = -amount;
  e->method = (guint8) method;
  pending_push (g, refund_slot);
  event_at (g, slot)->refund = refund_slot;
  add_paid (b, refund_day, -amount);
  note_time (b, refund_day, refund_second);

  day = refund_day + rng_range (r, 0, 5);
  if (day <= g->today)
    {
      BbPaymentMethod again = draw_method (r, c);

      for (guint tries = 0; again == method && tries < 4; tries++)
        again = draw_method (r, c);
      if (again == method)
        again = BB_PAYMENT_CASH;

      second = time_of_day (r, day, refund_day, refund_second);
      slot = event_new (g, EVENT_PAYMENT, b->customer, b->invoice_id, day, second);
      e = event_at (g, slot);
      e->amount = amount;
      e->allocated = amount;
      e->method = (guint8) again;
      pending_push (g, slot);

      add_paid (b, day, amount);
      note_time (b, day, second);
      c->last_paid_day = MAX (c->last_paid_day, day);
    }
}

/* What happens to an issued bill of @total: credit the customer has
 * put on it first, mostly, then the rest as the customer's habits go. */
static void
plan_bill_payments (Generator *g,
                    BillMoney *b,
                    BbMoney    total)
{
  Rng *r = &g->pay_rng;
  CustomerFacts *c = &g->customers[b->customer];
  const PayerHabits *habits = &payer_habits[c->payer];
  guint32 due = b->day + c->terms;
  BbMoney left = total;
  guint x;

  /* Credit received before today's bills (so its payment is written). */
  if (c->credit > 0 && c->credit_day < b->day && rng_percent (r, CREDIT_USED_PERCENT))
    {
      BbMoney use = MIN (c->credit, left);
      guint second = b->second + rng_range (r, 30, 600);
      guint32 slot = event_new (g, EVENT_CREDIT, b->customer, b->invoice_id, b->day, second);
      Event *e = event_at (g, slot);

      g_assert (c->credit_payment_id != 0);
      e->amount = use;
      e->payment_id = c->credit_payment_id;
      pending_push (g, slot);

      c->credit -= use;
      left -= use;
      /* Its payment came before the bill, so before the due date. */
      add_paid (b, c->credit_day, use);
      note_time (b, b->day, second);
    }

  if (left == 0)
    return;

  x = rng_below (r, 100);
  if (x < habits->on_time)
    plan_payment (g, b, on_time_day (g, b->day, due), left, NOTE_NONE, TRUE);
  else if (x < habits->on_time + habits->late)
    plan_payment (g, b, due + days_late (r), left, NOTE_NONE, TRUE);
  else if (x < habits->on_time + habits->late + habits->partial)
    {
      /* 30–70 %, in tens, by the due date; the rest later, or never. */
      BbMoney unit = 10 * g->minor_per_unit;
      BbMoney part = left * rng_range (r, 30, 70) / 100 / unit * unit;
      guint32 day = on_time_day (g, b->day, due);

      if (part <= 0 || part >= left)
        {
          plan_payment (g, b, day, left, NOTE_NONE, TRUE);
          return;
        }

      plan_payment (g, b, day, part, NOTE_PART, FALSE);
      if (rng_percent (r, 50))
        plan_payment (g, b, due + rng_range (r, 10, 120), left - part, NOTE_REST, FALSE);
    }
  /* else never paid */
}

/* Makes and stores one bill of customer @customer dated @day. Issued and
 * void bills are stored as drafts with their lines (the schema freezes
 * the lines of an issued bill), then given their @number and state, and
 * an issued one what will have been paid of it. */
static gboolean
make_bill (Generator            *g,
           guint32               customer,
           guint32               day,
           BbInvoiceStatus       status,
           const char           *number,
           GError              **error)
{
  Rng *r = &g->bill_rng;
  CustomerFacts *c = &g->customers[customer];
  sqlite3_stmt *stmt;
  const CatalogueItem *items[MAX_LINES];
  BbInvoiceLine lines[MAX_LINES];
  BbMoney subtotal = 0, net = 0, tax = 0, total = 0, discount_total = 0, paid = 0, paid_by_due = 0;
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

  /* What will have been paid of an issued bill by today, and when it
   * last changed; a void one is open for nothing. */
  if (status == BB_INVOICE_ISSUED)
    {
      BillMoney b = { customer, id, day, (guint) (updated - (guint64) day * 86400), 0, updated,
                      day + c->terms, 0 };

      plan_bill_payments (g, &b, total);
      paid = b.paid;
      paid_by_due = b.paid_by_due;
      updated = b.last;
      c->outstanding += total - paid;
      format_time (updated, updated_at);
    }

  stmt = g->issue_invoice;
  sqlite3_bind_int64 (stmt, 1, id);
  _bb_stmt_bind_text (stmt, 2, bb_invoice_status_to_string (status));
  _bb_stmt_bind_text (stmt, 3, number);
  _bb_stmt_bind_text (stmt, 4, void_reason);
  sqlite3_bind_int64 (stmt, 5, paid);
  sqlite3_bind_int64 (stmt, 6, status == BB_INVOICE_VOID ? 0 : total - paid);
  _bb_stmt_bind_text (stmt, 7, updated_at);
  sqlite3_bind_int64 (stmt, 8, paid_by_due);

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
                    "UPDATE invoices SET status = ?2, number = ?3, void_reason = ?4, paid = ?5, "
                    "  open_balance = ?6, updated_at = ?7, paid_by_due = ?8 WHERE id = ?1",
                    error);
  if (g->issue_invoice == NULL)
    return FALSE;

  g->insert_payment =
    _bb_db_prepare (g->db,
                    "INSERT INTO payments (customer_id, received_on, amount, method, reference, note, "
                    "  reverses_id, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    error);
  if (g->insert_payment == NULL)
    return FALSE;

  g->insert_allocation =
    _bb_db_prepare (g->db,
                    "INSERT INTO payment_allocations (payment_id, invoice_id, amount, kind, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)",
                    error);
  if (g->insert_allocation == NULL)
    return FALSE;

  pattern = bb_invoices_get_pattern (g->db);
  keys = plan_bills (g);
  statuses = plan_statuses (g, keys);
  plan_payers (g);

  g->events = g_array_new (FALSE, FALSE, sizeof (Event));
  g->free_slots = g_array_new (FALSE, FALSE, sizeof (guint32));
  g->pending = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint k = 0; k < g->n_bills; k++)
    {
      guint32 day = (guint32) (keys[k] >> 32);
      guint32 customer = (guint32) keys[k];
      BbInvoiceStatus status = statuses[k];
      g_autofree char *number = NULL;

      if (k % CANCEL_CHECK_EVERY == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* The money of the days before, in the order it came. */
      if (!write_events_before (g, day, error))
        return FALSE;
      g->bill_index = k;

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

      if (!make_bill (g, customer, day, status, number, error))
        return FALSE;

      report_step (g);
    }

  if (seq > 0 && !save_sequence (g, year, seq, error))
    return FALSE;

  /* The money of today. */
  if (!write_events_before (g, G_MAXUINT32, error))
    return FALSE;

  /* What each customer owes, their credit and last payment, as
   * _bb_customers_refresh_summary() computes them from the rows. */
  stmt = _bb_db_prepare (g->db,
                         "UPDATE customers SET outstanding = ?2, credit = ?3, last_payment_on = ?4 "
                         "WHERE id = ?1",
                         error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < g->n_customers; i++)
    {
      const CustomerFacts *c = &g->customers[i];
      char last_paid[11];

      if (c->outstanding == 0 && c->credit == 0 && c->last_paid_day == 0)
        continue;

      if (i % CANCEL_CHECK_EVERY == 0 &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, c->id);
      sqlite3_bind_int64 (stmt, 2, c->outstanding);
      sqlite3_bind_int64 (stmt, 3, c->credit);
      if (c->last_paid_day != 0)
        {
          format_date (c->last_paid_day, last_paid);
          _bb_stmt_bind_text (stmt, 4, last_paid);
        }
      else
        sqlite3_bind_null (stmt, 4);
      if (!_bb_db_step_done (g->db, stmt, error))
        return FALSE;
    }

  return TRUE;
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

/* Recurring charges: rent, service contracts, membership fees of about
 * one customer in twenty, companies more often. Each started a while ago
 * on its anchor day (the 31st among them, so month ends show) and its
 * next period falls from a few days before the book's today to a month
 * after: the periods before were billed by the shop before the sample
 * book begins, and the app's start bills the few that are due. Saved
 * through bb_recurring_save(), which checks them as the window does. */
typedef struct
{
  const char          *zh;
  const char          *en;
  BbRecurringInterval  interval;
  guint                yuan;
  BbRate               tax_rate;
} RecurringKind;

static const RecurringKind recurring_kinds[] = {
  { "柜台租金", "Counter rent", BB_RECURRING_MONTHLY, 800, 900 },
  { "设备维护合同", "Equipment maintenance contract", BB_RECURRING_QUARTERLY, 1500, 600 },
  { "会员年费", "Annual membership fee", BB_RECURRING_YEARLY, 299, 600 },
  { "每周保洁服务", "Weekly cleaning service", BB_RECURRING_WEEKLY, 120, 600 },
  { "网站托管", "Website hosting", BB_RECURRING_MONTHLY, 99, 600 },
};

static const guint recurring_anchor_days[] = { 1, 5, 10, 15, 20, 28, 31 };

static gboolean
make_recurring (Generator  *g,
                GError    **error)
{
  Rng *r = &g->rng;
  guint n_made = 0;

  for (guint i = 0; i < g->n_customers; i++)
    {
      CustomerFacts *facts = &g->customers[i];
      g_autoptr(BbRecurringCharge) charge = NULL;
      const RecurringKind *kind;
      GDate start, next;
      guint32 since;
      guint anchor;
      char start_on[11], next_on[11];

      if (facts->archived || !rng_percent (r, facts->company ? 15 : 3))
        continue;

      kind = &recurring_kinds[rng_below (r, G_N_ELEMENTS (recurring_kinds))];
      since = MAX (facts->created_day, g->today - 730);
      g_date_clear (&start, 1);
      g_date_set_julian (&start, rng_range (r, since, g->today));
      anchor = g_date_get_day (&start);
      if (kind->interval != BB_RECURRING_WEEKLY)
        {
          anchor = recurring_anchor_days[rng_below (r, G_N_ELEMENTS (recurring_anchor_days))];
          g_date_set_day (&start, MIN (anchor, g_date_get_days_in_month (g_date_get_month (&start),
                                                                          g_date_get_year (&start))));
        }

      /* The first period from a few days before today on. */
      next = start;
      while (g_date_get_julian (&next) + 5 < g->today)
        {
          GDate after;

          bb_recurring_next_date (kind->interval, anchor, &next, &after);
          next = after;
        }

      format_date (g_date_get_julian (&start), start_on);
      format_date (g_date_get_julian (&next), next_on);

      charge = bb_recurring_charge_new ();
      charge->customer_id = facts->id;
      g_free (charge->description);
      charge->description = g_strdup (facts->chinese ? kind->zh : kind->en);
      charge->amount = (BbMoney) kind->yuan * g->minor_per_unit;
      charge->tax_rate = kind->tax_rate;
      charge->interval = kind->interval;
      charge->anchor_day = kind->interval == BB_RECURRING_WEEKLY ? 0 : anchor;
      g_free (charge->start_on);
      charge->start_on = g_strdup (start_on);
      g_free (charge->next_on);
      charge->next_on = g_strdup (next_on);
      if (rng_percent (r, 15))
        {
          char end_on[11];

          format_date (g_date_get_julian (&next) + rng_range (r, 30, 365), end_on);
          g_free (charge->end_on);
          charge->end_on = g_strdup (end_on);
        }

      if (!bb_recurring_save (g->db, charge, error))
        return FALSE;
      n_made++;
    }

  g->n_recurring = n_made;
  return TRUE;
}

/* ---- Prepaid cards -------------------------------------------------- */

/* At most this many cards, so that a big book is not slowed: each entry
 * goes through core's rules (bb-prepaid.c) like one made in the window. */
#define MAX_PREPAID_CARDS 200

typedef struct
{
  const char         *zh;
  const char         *en;
  BbPrepaidValidity   validity;
  int                 months;
  guint               bonus_at, bonus;          /* yuan */
  gboolean            bonus_refundable;
  guint               low;                      /* yuan */
  gint64              points_per_yuan;
  gint64              redeem_points;
  guint               redeem_yuan;
  guint               top_ups[4];               /* yuan */
  guint               charge_min, charge_max;   /* yuan */
  const char         *policy_zh;
  const char         *policy_en;
  guint               first_note, n_notes;      /* what a charge is for, in the notes below */
} CardKind;

static const CardKind card_kinds[] = {
  { "会员卡", "Membership card", BB_PREPAID_VALIDITY_MONTHS, 12, 1000, 100, FALSE, 100, 1, 500, 10,
    { 500, 1000, 2000, 3000 }, 30, 260,
    "未消费的充值金额可退，赠送金额不退", "Unspent money paid in is refunded; bonus money is not", 0, 6 },
  { "洗车套餐", "Car wash package", BB_PREPAID_VALIDITY_FIXED, 0, 0, 0, TRUE, 60, 0, 0, 0,
    { 300, 600, 600, 900 }, 30, 60,
    "到期前可全额退还余额", "The balance is refunded in full before the package ends", 0, 4 },
  { "咖啡储值卡", "Coffee card", BB_PREPAID_VALIDITY_NONE, 0, 200, 20, FALSE, 30, 1, 200, 10,
    { 200, 200, 300, 500 }, 18, 48,
    "赠送金额不退", "Bonus money is not refunded", 4, 2 },
};

static const char * const chinese_charge_notes[] = { "洗车", "精洗", "打蜡", "内饰清洁", "拿铁两杯", "咖啡豆" };
static const char * const latin_charge_notes[] = { "Car wash", "Full valet", "Wax", "Interior clean",
                                                   "Two lattes", "Coffee beans" };

static gboolean
make_prepaid_card (Generator      *g,
                   Rng            *r,
                   CustomerFacts  *facts,
                   GError        **error)
{
  const CardKind *kind = &card_kinds[rng_below (r, G_N_ELEMENTS (card_kinds))];
  g_autoptr(BbPrepaidAccount) card = bb_prepaid_account_new ();
  g_autoptr(BbPrepaidAccount) now = NULL;
  guint32 day, end = g->today;
  gint64 last_charge = 0;
  char on[11];

  day = rng_range (r, MAX (facts->created_day, g->today - 600), g->today - 20);

  card->customer_id = facts->id;
  g_free (card->name);
  card->name = g_strdup (facts->chinese ? kind->zh : kind->en);
  card->validity = kind->validity;
  card->validity_months = kind->months;
  if (kind->validity == BB_PREPAID_VALIDITY_FIXED)
    {
      /* Some packages ended already: what was left expires. */
      end = day + rng_range (r, 150, 540);
      format_date (end, on);
      card->expires_on = g_strdup (on);
      end = MIN (end, g->today);
    }
  g_free (card->refund_policy);
  card->refund_policy = g_strdup (facts->chinese ? kind->policy_zh : kind->policy_en);
  card->bonus_refundable = kind->bonus_refundable;
  card->low_balance_mark = (BbMoney) kind->low * g->minor_per_unit;
  card->bonus_threshold = (BbMoney) kind->bonus_at * g->minor_per_unit;
  card->bonus_amount = (BbMoney) kind->bonus * g->minor_per_unit;
  card->points_per_unit = kind->points_per_yuan;
  card->points_unit = g->minor_per_unit;
  card->redeem_points = kind->redeem_points;
  card->redeem_value = (BbMoney) kind->redeem_yuan * g->minor_per_unit;
  if (!bb_prepaid_save_account (g->db, card, error))
    return FALSE;

  format_date (day, on);
  if (!bb_prepaid_top_up (g->db, card->id, on,
                          (BbMoney) kind->top_ups[rng_below (r, G_N_ELEMENTS (kind->top_ups))] * g->minor_per_unit,
                          (BbPaymentMethod) facts->method, NULL, NULL, error))
    return FALSE;

  for (;;)
    {
      BbMoney charge;

      day += rng_range (r, 4, 45);
      g_clear_object (&now);
      now = bb_prepaid_get_account (g->db, card->id, error);
      if (now == NULL)
        return FALSE;
      if (day >= end)
        break;
      format_date (day, on);
      /* A months card not topped up in time: the customer stopped
       * coming, and the rest expires. */
      if (now->expires_on && strcmp (on, now->expires_on) >= 0)
        break;

      if (now->balance < now->low_balance_mark && rng_percent (r, 45))
        {
          if (!bb_prepaid_top_up (g->db, card->id, on,
                                  (BbMoney) kind->top_ups[rng_below (r, G_N_ELEMENTS (kind->top_ups))] *
                                  g->minor_per_unit,
                                  (BbPaymentMethod) facts->method, NULL, NULL, error))
            return FALSE;
          continue;
        }
      /* Or has not been back since: the card stays low. */
      if (now->balance < now->low_balance_mark && rng_percent (r, 40))
        break;
      if (now->balance == 0)
        {
          if (rng_percent (r, 50))
            break;
          continue;
        }

      if (now->redeem_points > 0 && now->points >= now->redeem_points && rng_percent (r, 25))
        {
          if (!bb_prepaid_redeem_points (g->db, card->id, on, now->redeem_points, NULL, NULL, error))
            return FALSE;
          continue;
        }

      if (last_charge != 0 && rng_percent (r, 3))
        {
          if (!bb_prepaid_reverse_charge (g->db, last_charge, on,
                                          facts->chinese ? "重复扣款" : "Charged twice", NULL, error))
            return FALSE;
          last_charge = 0;
          continue;
        }

      charge = (BbMoney) rng_range (r, kind->charge_min, kind->charge_max) * g->minor_per_unit;
      charge = MIN (charge, now->balance);
      if (!bb_prepaid_charge (g->db, card->id, on, charge,
                              facts->chinese ? chinese_charge_notes[kind->first_note + rng_below (r, kind->n_notes)]
                                             : latin_charge_notes[kind->first_note + rng_below (r, kind->n_notes)],
                              &last_charge, error))
        return FALSE;
    }

  /* Now and then a customer moves away and is paid back what may be. */
  if (now->balance > 0 && rng_percent (r, 8))
    {
      BbMoney refundable = bb_prepaid_account_get_refundable (now);
      guint32 when = MIN (day, g->today) - 1;

      format_date (when, on);
      if (refundable > 0 && (!now->expires_on || strcmp (on, now->expires_on) < 0) &&
          (now->last_used_on == NULL || strcmp (on, now->last_used_on) >= 0))
        {
          if (!bb_prepaid_refund (g->db, card->id, on, refundable, (BbPaymentMethod) facts->method,
                                  facts->chinese ? "搬家" : "Moving away", NULL, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
make_prepaid (Generator  *g,
              guint64     seed,
              GError    **error)
{
  Rng r;
  guint n_made = 0;
  GDate today;

  /* A stream of its own: the rest of the book stays as it was. */
  rng_seed (&r, seed ^ G_GUINT64_CONSTANT (0x7072657061696400));   /* "prepaid" */

  for (guint i = 0; i < g->n_customers && n_made < MAX_PREPAID_CARDS; i++)
    {
      CustomerFacts *facts = &g->customers[i];

      if (facts->archived || facts->company || facts->created_day + 30 > g->today ||
          !rng_percent (&r, facts->chinese ? 14 : 6))
        continue;

      if (!make_prepaid_card (g, &r, facts, error))
        return FALSE;
      n_made++;
    }

  /* What expired before today is written off, as at the app's start. */
  g_date_clear (&today, 1);
  g_date_set_julian (&today, g->today);

  return bb_prepaid_expire (g->db, &today, NULL, error);
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
  g_autofree char *payments_detail = NULL;
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

  payments_detail = g_strdup_printf ("%u payments", g->n_payment_rows);
  if (g->n_payment_rows > 0 && !_bb_db_audit (db, "demo", "payments", 0, payments_detail, error))
    return FALSE;

  if (!make_recurring (g, error))
    return FALSE;

  if (!make_prepaid (g, options->seed, error))
    return FALSE;

  /* Classes as the rule gives them on the book's "today", from the
   * payments: last, when every row is there. The sample shop is small:
   * its class A starts at 3,000 a year paid (not the default 10,000,
   * which none of its customers reaches), for a few A customers. */
  {
    g_autofree char *threshold = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) 3000 * g->minor_per_unit);
    GDate today;

    if (!bb_db_set_setting (db, "customers.class_a_threshold", threshold, error))
      return FALSE;

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
  bb_db_emit_changed (db, "payments", 0);
  bb_db_emit_changed (db, "prepaid_accounts", 0);
  bb_db_emit_changed (db, "prepaid_entries", 0);

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
  if (g->insert_payment)
    sqlite3_clear_bindings (g->insert_payment);
  if (g->insert_allocation)
    sqlite3_clear_bindings (g->insert_allocation);

  g_free (g->customers);
  g_clear_pointer (&g->events, g_array_unref);
  g_clear_pointer (&g->free_slots, g_array_unref);
  g_clear_pointer (&g->pending, g_array_unref);

  g_string_free (g->name, TRUE);
  g_string_free (g->company, TRUE);
  g_string_free (g->phone, TRUE);
  g_string_free (g->email, TRUE);
  g_string_free (g->address, TRUE);
  g_string_free (g->tax_id, TRUE);
  g_string_free (g->tags, TRUE);
  g_string_free (g->wechat, TRUE);
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
 * ("Birthday", "WeChat ID", added if missing), interaction logs, bills
 * over the last ten years, numbered by the book's pattern, and their
 * payments (about 70 % of bills paid by their due date, others late, in
 * part or not at all; some credit, a few refunds), in one transaction:
 * all of it or none of it. The same options give the same rows. Every
 * kept sum (bills' balances, customers' outstanding amount, credit and
 * last payment) is what the money rules compute, and so is each
 * customer's class, on @options->today.
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
  /* And payments from one of theirs, so that the bills stay as they were. */
  rng_seed (&g.pay_rng, options->seed ^ G_GUINT64_CONSTANT (0x7061796d656e7473));   /* "payments" */
  {
    guint64 x = options->seed ^ G_GUINT64_CONSTANT (0x7265666572656e63);            /* "referenc" */

    g.text_salt = splitmix64 (&x);
  }
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

  /* A page cache of 128 MiB while writing keeps a big book's indexes
   * that take rows in no order (bills and payments by customer) in
   * memory rather than spilling them to the WAL and reading them back:
   * a million bills with their payments take a fifth less time than
   * with 64 MiB. It fills only as a book that big needs, and the
   * connection gets its own setting back afterwards. */
  old_cache_size = _bb_db_set_cache_size (db, -131072);

  ok = bb_db_begin (db, error);
  if (ok)
    {
      ok = generate_in_transaction (&g, options, progress, progress_data, cancellable, error) &&
           bb_db_commit (db, error);
      if (!ok)
        bb_db_rollback (db);
    }

  _bb_db_set_cache_size (db, old_cache_size);

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
 * custom fields, interactions, invoices and payments), so its views
 * show them.
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
  bb_db_emit_changed (db, "payments", 0);

  return TRUE;
}
